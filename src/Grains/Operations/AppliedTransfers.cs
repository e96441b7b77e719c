namespace MarginOrleans.Operations;

/// <summary>
/// The transfers a fund has applied whose senders have not yet confirmed them: a sender re-sends
/// until it has, so the fund must know each id again after a restart. Stored in rows of their own
/// (<see cref="Storage.FundRows"/>), never in the fund's state row; this map also holds what storage
/// does not have yet — ids applied since the last write, and ids forgotten since.
/// </summary>
public sealed class AppliedTransfers(Dictionary<string, decimal> stored)
{
    private Dictionary<string, decimal> unwritten = [];
    private HashSet<string> forgotten = [];

    public IReadOnlyDictionary<string, decimal> All => stored;

    public bool Contains(string id) => stored.ContainsKey(id);

    public void Add(string id, decimal amount)
    {
        (stored[id], unwritten[id]) = (amount, amount);
        forgotten.Remove(id);
    }

    /// <summary>The sender recorded the transfer done: its row is deleted by the next write (one never written is never written).</summary>
    public void Forget(string id)
    {
        if (stored.Remove(id) && !unwritten.Remove(id))
        {
            forgotten.Add(id);
        }
    }

    /// <summary>Hands what storage lacks to a write; <see cref="Return"/> it if the write fails.</summary>
    public (Dictionary<string, decimal> Applied, HashSet<string> Forgotten) Take()
    {
        var taken = (unwritten, forgotten);
        (unwritten, forgotten) = ([], []);
        return taken;
    }

    /// <summary>A failed write's changes, for a later write: rows forgotten meanwhile may have landed, so they are deleted.</summary>
    public void Return((Dictionary<string, decimal> Applied, HashSet<string> Forgotten) taken)
    {
        foreach (var (id, amount) in taken.Applied)
        {
            _ = stored.ContainsKey(id) ? unwritten.TryAdd(id, amount) : forgotten.Add(id);
        }

        forgotten.UnionWith(taken.Forgotten.Where(id => !stored.ContainsKey(id)));
    }
}
