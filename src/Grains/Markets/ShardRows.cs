using MarginOrleans.Storage;

namespace MarginOrleans.Markets;

/// <summary>
/// A trigger shard's own rows: which owners have one in storage, and each owner's latest change
/// that storage does not hold yet, written for the whole partition by one group commit. A change is
/// either awaited (its answer waits for the write) or rides on the next write; a failed write puts
/// back what no later change replaced. Used by one reentrant grain, whose turns interleave only at awaits.
/// </summary>
internal sealed class ShardRows
{
    private readonly Func<IEnumerable<KeyValuePair<string, ShardRow>>, Task> write;
    private readonly GroupCommit commit;
    private readonly HashSet<string> stored = new(StringComparer.Ordinal);
    private Dictionary<string, RowChange> unwritten = new(StringComparer.Ordinal);
    private Dictionary<string, RowChange> writing = new(StringComparer.Ordinal);

    /// <param name="write">Writes each owner's row change.</param>
    public ShardRows(Func<IEnumerable<KeyValuePair<string, ShardRow>>, Task> write)
    {
        this.write = write;
        commit = new GroupCommit(WriteRows, "triggers");
    }

    /// <summary>The owners whose rows the shard loaded.</summary>
    public void Loaded(IEnumerable<string> owners) => stored.UnionWith(owners);

    /// <summary>Records the owner's row to write.</summary>
    public void Set(string owner, ShardRow row, bool awaited)
    {
        unwritten[owner] = new RowChange(row, awaited);
        commit.Changed();
    }

    /// <summary>Deletes the owner's row, if it has or may have one: an owner whose entry lies in its own row may have none here.</summary>
    public void Delete(string owner)
    {
        if (MayHold(owner))
        {
            Set(owner, default, awaited: false);
        }
    }

    /// <summary>Whether the owner has a row here, or a change of it not yet durable (a delete may still fail).</summary>
    public bool MayHold(string owner) => stored.Contains(owner) || unwritten.ContainsKey(owner) || writing.ContainsKey(owner);

    /// <summary>Whether a change of this owner's that some answer waits for is not durable yet.</summary>
    public bool AwaitsWrite(string owner) =>
        unwritten.TryGetValue(owner, out var next) && next.Awaited || writing.TryGetValue(owner, out var sent) && sent.Awaited;

    /// <summary>
    /// Waits for a write only when this owner's row has one coming that must be durable first: an
    /// owner that kept its entry (most answers to a wake-up) is not held up by the batch of everybody
    /// else, nor by a change of its own that was answered at once.
    /// </summary>
    public Task DurableFor(string owner) => AwaitsWrite(owner) ? commit.Durable() : Task.CompletedTask;

    /// <summary>Writes what no awaited change's write has carried yet: removals, later-firing moves, fired trailing stops.</summary>
    public Task WriteDeferred() => unwritten.Count > 0 ? commit.Durable() : Task.CompletedTask;

    private async Task WriteRows()
    {
        var batch = writing = unwritten;
        unwritten = new(StringComparer.Ordinal);
        try
        {
            await write(batch.Select(c => KeyValuePair.Create(c.Key, c.Value.Row)));
            foreach (var (owner, change) in batch)
            {
                _ = change.Row.Entry is null ? stored.Remove(owner) : stored.Add(owner);
            }

            writing = new(StringComparer.Ordinal);
        }
        catch
        {
            writing = new(StringComparer.Ordinal);
            // Put back what no later change replaced; the next write retries it.
            foreach (var (owner, change) in batch)
            {
                unwritten.TryAdd(owner, change);
            }

            throw;
        }
    }

    /// <summary>A row change to write; <see cref="Awaited"/> when its answer waits for the write.</summary>
    private readonly record struct RowChange(ShardRow Row, bool Awaited);
}
