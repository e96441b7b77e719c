namespace MarginOrleans.Markets;

/// <summary>
/// A shard's trigger prices, one entry per owner, sorted so that a tick visits only the entries
/// it crosses: O(log N + fired), independent of how many positions are open (design §4).
/// A fired owner is woken once and then awaited: it answers by registering or removing its entry.
/// Until it answers no tick wakes it again; only <see cref="Overdue"/> does, after a timeout that
/// doubles per unanswered wake-up and grows with the number of owners still to answer, so a
/// backlog is worked off instead of multiplied.
/// </summary>
public sealed class TriggerIndex
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AnswerTimeoutMax = TimeSpan.FromSeconds(60);

    /// <summary>Added to the timeout per owner still to answer: a queue of 10,000 waits 10 s longer, and no queue longer.</summary>
    public static readonly TimeSpan AllowancePerAwaited = TimeSpan.FromMilliseconds(1);

    private const int AllowanceCap = 10_000;

    private static readonly string OwnerMax = new('\uffff', 2);

    private readonly SortedSet<(decimal Price, string Owner)> atOrBelow = new(ByPriceThenOwner.Instance);
    private readonly SortedSet<(decimal Price, string Owner)> atOrAbove = new(ByPriceThenOwner.Instance);
    private readonly Dictionary<string, TriggerEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Wake> awaited = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    /// <summary>Owners woken that have not answered yet.</summary>
    public int Awaited => awaited.Count;

    public IReadOnlyList<string> Owners => [.. entries.Keys];

    public TriggerEntry? Get(string owner) => entries.GetValueOrDefault(owner);

    /// <summary>Adds the owner's entry, replacing any it had; wakes nobody (used to rebuild from storage).</summary>
    public void Set(TriggerEntry entry)
    {
        if (entries.Remove(entry.Owner, out var old))
        {
            SideOf(old.Direction).Remove((old.Price, old.Owner));
        }

        entries[entry.Owner] = entry;
        SideOf(entry.Direction).Add((entry.Price, entry.Owner));
    }

    /// <summary>
    /// The owner's answer to a wake-up, or a first registration. Tells whether to wake it now:
    /// when the current mark crosses the entry — a registration behind the mark fires at once —
    /// unless an awaited owner answered with the very entry it had: it looked and kept it, so it
    /// is asked again only after a timeout, never in a loop.
    /// </summary>
    public bool Register(TriggerEntry entry, decimal mark, DateTimeOffset now)
    {
        var kept = entries.GetValueOrDefault(entry.Owner) == entry;
        Set(entry);
        var wasAwaited = awaited.Remove(entry.Owner, out var last);
        if (!Crosses(entry, mark))
        {
            return false;
        }

        if (wasAwaited && kept)
        {
            Await(entry.Owner, now, last.Attempts + 1);
            return false;
        }

        Await(entry.Owner, now, 0);
        return true;
    }

    public bool Remove(string owner)
    {
        awaited.Remove(owner);
        if (!entries.Remove(owner, out var old))
        {
            return false;
        }

        SideOf(old.Direction).Remove((old.Price, owner));
        return true;
    }

    /// <summary>The owners whose trigger the mark crosses and who are not already awaited; each is now awaited.</summary>
    public List<string> Fire(decimal mark, DateTimeOffset now)
    {
        var fired = new List<string>();
        Collect(atOrBelow.GetViewBetween((mark, ""), (decimal.MaxValue, OwnerMax)), now, fired);
        Collect(atOrAbove.GetViewBetween((decimal.MinValue, ""), (mark, OwnerMax)), now, fired);
        return fired;
    }

    /// <summary>
    /// Awaited owners past their timeout whose entry the mark still crosses: to be woken again,
    /// with no tick needed. Those whose entry the mark no longer crosses are not awaited any more.
    /// </summary>
    public List<string> Overdue(decimal mark, DateTimeOffset now)
    {
        var due = new List<string>();
        foreach (var (owner, wake) in awaited)
        {
            if (wake.Due <= now)
            {
                due.Add(owner);
            }
        }

        var again = new List<string>();
        foreach (var owner in due)
        {
            var attempts = awaited[owner].Attempts + 1;
            awaited.Remove(owner);
            if (entries.TryGetValue(owner, out var entry) && Crosses(entry, mark))
            {
                Await(owner, now, attempts);
                again.Add(owner);
            }
        }

        return again;
    }

    /// <summary>How long to wait for an answer: doubling per attempt, plus an allowance per owner already awaited.</summary>
    public TimeSpan Timeout(int attempts)
    {
        var backoff = AnswerTimeout * Math.Pow(2, Math.Min(attempts, 8));
        return (backoff < AnswerTimeoutMax ? backoff : AnswerTimeoutMax) + AllowancePerAwaited * Math.Min(awaited.Count, AllowanceCap);
    }

    private static bool Crosses(TriggerEntry entry, decimal mark) =>
        mark > 0 && (entry.Direction == TriggerDirection.AtOrBelow ? mark <= entry.Price : mark >= entry.Price);

    private void Await(string owner, DateTimeOffset now, int attempts) => awaited[owner] = new Wake(now + Timeout(attempts), attempts);

    private void Collect(SortedSet<(decimal Price, string Owner)> crossed, DateTimeOffset now, List<string> fired)
    {
        foreach (var (_, owner) in crossed)
        {
            if (!awaited.ContainsKey(owner))
            {
                Await(owner, now, 0);
                fired.Add(owner);
            }
        }
    }

    private SortedSet<(decimal Price, string Owner)> SideOf(TriggerDirection direction) =>
        direction == TriggerDirection.AtOrBelow ? atOrBelow : atOrAbove;

    private readonly record struct Wake(DateTimeOffset Due, int Attempts);

    private sealed class ByPriceThenOwner : IComparer<(decimal Price, string Owner)>
    {
        public static readonly ByPriceThenOwner Instance = new();

        public int Compare((decimal Price, string Owner) x, (decimal Price, string Owner) y)
        {
            var byPrice = x.Price.CompareTo(y.Price);
            return byPrice != 0 ? byPrice : string.CompareOrdinal(x.Owner, y.Owner);
        }
    }
}
