using MarginOrleans.Markets;

namespace MarginOrleans.Markets;

/// <summary>
/// A market's trigger prices, one entry per owner, sorted so that a tick visits only the entries
/// it crosses: O(log N + fired), independent of how many positions are open (design §4).
/// A fired entry stays until its owner moves or removes it, so a lost wake-up is repeated after
/// <see cref="RefireAfter"/> instead of being late forever.
/// </summary>
public sealed class TriggerIndex
{
    public static readonly TimeSpan RefireAfter = TimeSpan.FromSeconds(5);

    private static readonly string OwnerMax = new('\uffff', 2);

    private readonly SortedSet<(decimal Price, string Owner)> atOrBelow = new(ByPriceThenOwner.Instance);
    private readonly SortedSet<(decimal Price, string Owner)> atOrAbove = new(ByPriceThenOwner.Instance);
    private readonly Dictionary<string, TriggerEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> firedAt = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public IReadOnlyList<string> Owners => [.. entries.Keys];

    /// <summary>Adds the owner's entry, replacing any it had.</summary>
    public void Set(TriggerEntry entry)
    {
        Remove(entry.Owner);
        entries[entry.Owner] = entry;
        SideOf(entry.Direction).Add((entry.Price, entry.Owner));
    }

    /// <summary>
    /// Adds or moves an owner's entry and tells whether the current mark already crosses it: a
    /// registration that lands behind the mark must fire now, not at the next tick that crosses it.
    /// A re-registration keeps the owner's last firing time, so a crossed entry wakes it at most
    /// once per <see cref="RefireAfter"/>.
    /// </summary>
    public bool Register(TriggerEntry entry, decimal mark, DateTimeOffset now)
    {
        var lastFired = firedAt.GetValueOrDefault(entry.Owner, DateTimeOffset.MinValue);
        Set(entry);
        var crossed = mark > 0 && (entry.Direction == TriggerDirection.AtOrBelow ? mark <= entry.Price : mark >= entry.Price);
        if (!crossed)
        {
            return false;
        }

        var wake = now - lastFired >= RefireAfter;
        firedAt[entry.Owner] = wake ? now : lastFired;
        return wake;
    }

    public bool Remove(string owner)
    {
        firedAt.Remove(owner);
        if (!entries.Remove(owner, out var old))
        {
            return false;
        }

        SideOf(old.Direction).Remove((old.Price, owner));
        return true;
    }

    /// <summary>The owners whose trigger the mark crosses, less those fired within <see cref="RefireAfter"/>.</summary>
    public List<string> Fire(decimal mark, DateTimeOffset now)
    {
        var fired = new List<string>();
        Collect(atOrBelow.GetViewBetween((mark, ""), (decimal.MaxValue, OwnerMax)), now, fired);
        Collect(atOrAbove.GetViewBetween((decimal.MinValue, ""), (mark, OwnerMax)), now, fired);
        return fired;
    }

    private void Collect(SortedSet<(decimal Price, string Owner)> crossed, DateTimeOffset now, List<string> fired)
    {
        foreach (var (_, owner) in crossed)
        {
            if (firedAt.TryGetValue(owner, out var at) && now - at < RefireAfter)
            {
                continue;
            }

            firedAt[owner] = now;
            fired.Add(owner);
        }
    }

    private SortedSet<(decimal Price, string Owner)> SideOf(TriggerDirection direction) =>
        direction == TriggerDirection.AtOrBelow ? atOrBelow : atOrAbove;

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
