namespace MarginOrleans.Operations;

/// <summary>
/// The transfers a fund has applied whose senders have not yet confirmed them: a sender re-sends
/// until it has, so the fund must know each id again after a restart. Stored in rows of their own
/// (<see cref="Storage.FundRows"/>), never in the fund's state row: each write stores the ids applied
/// since the last one in one new row (a few for a large write), and rewrites the rows that lost ids
/// to confirmations since (deletes those left empty). A cascade thus costs a fund write a few rows,
/// not two per liquidation (one written, one deleted). This map also holds what storage does not have yet.
/// </summary>
public sealed class AppliedTransfers
{
    /// <summary>Ids a new row holds at most: ~15 KB, so that 99 rows beside the state stay under a batch's 4 MB.</summary>
    public const int PerRow = 250;

    private readonly Dictionary<string, decimal> amounts = [];
    private readonly Dictionary<string, AppliedRow> rows = [];
    private readonly Dictionary<string, string> rowOf = [];
    private Dictionary<string, decimal> unwritten = [];
    private HashSet<string> shrunk = [];

    /// <summary>The rows storage holds of writes that landed; an id in two (a crash's leftover) counts once.</summary>
    public AppliedTransfers(IEnumerable<AppliedRow> stored)
    {
        foreach (var row in stored)
        {
            Hold(row);
        }
    }

    public IReadOnlyDictionary<string, decimal> All => amounts;

    public bool Contains(string id) => amounts.ContainsKey(id);

    public void Add(string id, decimal amount) => (amounts[id], unwritten[id]) = (amount, amount);

    /// <summary>The sender recorded the transfer done: its row loses it with the next write (one never written is never written).</summary>
    public void Forget(string id)
    {
        if (amounts.Remove(id) && !unwritten.Remove(id) && rowOf.Remove(id, out var key))
        {
            rows[key].Transfers.Remove(id);
            shrunk.Add(key);
        }
    }

    /// <summary>
    /// Hands a write numbered <paramref name="commit"/> what storage lacks: new rows of the ids applied
    /// since the last write, then the rows that lost ids (those left empty to delete). <see cref="Return"/> them if the write fails.
    /// </summary>
    public List<AppliedRow> Take(long commit)
    {
        var fresh = unwritten.Chunk(PerRow).Select((part, i) => new AppliedRow(RowKey(commit, i), commit, part.ToDictionary())).ToList();
        unwritten = [];
        foreach (var row in fresh)
        {
            Hold(row with { Transfers = new(row.Transfers) });
        }

        return [.. fresh, .. Shrunk()];
    }

    /// <summary>Rows that lost ids since the last write, each as memory now knows it: rewritten (or deleted) whenever, with or without the state.</summary>
    public List<AppliedRow> Shrunk()
    {
        var taken = shrunk.Select(key => rows[key] with { Transfers = new(rows[key].Transfers) }).ToList();
        shrunk = [];
        foreach (var empty in taken.Where(r => r.Transfers.Count == 0))
        {
            rows.Remove(empty.Key);
        }

        return taken;
    }

    /// <summary>
    /// A failed write's rows, for a later one: each may have landed or not, so each is written again
    /// with what it holds then. Its tag stays: the state of the write that stores it again counts its money.
    /// </summary>
    public void Return(IEnumerable<AppliedRow> taken)
    {
        foreach (var row in taken)
        {
            if (!rows.ContainsKey(row.Key))
            {
                rows[row.Key] = row with { Transfers = [] }; // emptied: its deletion is retried
            }

            shrunk.Add(row.Key);
        }
    }

    /// <summary>Part <paramref name="part"/> of write <paramref name="commit"/>'s new ids: '~' sorts after the keys of rows stored before (base64url).</summary>
    internal static string RowKey(long commit, int part) => $"~{commit:D19}-{part:D4}";

    private void Hold(AppliedRow row)
    {
        rows[row.Key] = row;
        foreach (var (id, amount) in row.Transfers)
        {
            amounts[id] = amount;
            rowOf[id] = row.Key;
        }
    }
}
