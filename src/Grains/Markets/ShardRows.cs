using MarginOrleans.Storage;

namespace MarginOrleans.Markets;

/// <summary>
/// A trigger shard's rows that storage does not hold yet: each owner's latest change, written for
/// the whole partition by one group commit. A change is either awaited (its answer waits for the
/// write) or rides on the next write; a failed write puts back what no later change replaced.
/// Used by one reentrant grain, whose turns interleave only at awaits.
/// </summary>
internal sealed class ShardRows
{
    private readonly Func<IEnumerable<KeyValuePair<string, TriggerEntry?>>, Task> write;
    private readonly GroupCommit commit;
    private Dictionary<string, RowChange> unwritten = new(StringComparer.Ordinal);
    private Dictionary<string, RowChange> writing = new(StringComparer.Ordinal);

    /// <param name="write">Upserts each entry and deletes each owner mapped to null.</param>
    public ShardRows(Func<IEnumerable<KeyValuePair<string, TriggerEntry?>>, Task> write)
    {
        this.write = write;
        commit = new GroupCommit(WriteRows, "triggers");
    }

    /// <summary>Records the owner's row to write: an entry, or null for a delete.</summary>
    public void Set(string owner, TriggerEntry? entry, bool awaited)
    {
        unwritten[owner] = new RowChange(entry, awaited);
        commit.Changed();
    }

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
            await write(batch.Select(c => KeyValuePair.Create(c.Key, c.Value.Entry)));
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

    /// <summary>A row to write: an entry, or null for a delete; <see cref="Awaited"/> when its answer waits for the write.</summary>
    private readonly record struct RowChange(TriggerEntry? Entry, bool Awaited);
}
