namespace MarginOrleans.Markets;

/// <summary>
/// A shard's trailing stop orders. A live one follows the mark in the <see cref="TrailingStops"/>
/// book, which decides when it fires: only the shard sees every mark, so only it knows the peak.
/// A fired one moves into the <see cref="TriggerIndex"/> in its fired form, an entry every mark
/// crosses, so its owner is woken — and woken again while it has not answered, through a crash too,
/// as its row is rewritten in that form — until the owner removes it.
/// </summary>
internal sealed class TrailingOrders(TriggerIndex index)
{
    private readonly Dictionary<string, TriggerEntry> live = new(StringComparer.Ordinal);
    private readonly List<TriggerEntry> unplaced = [];
    private TrailingStops? book;

    public int Count => live.Count + unplaced.Count;

    /// <summary>A live trailing stop's entry; a fired one (no callback rate) is an ordinary index entry.</summary>
    public static bool IsLive(TriggerEntry entry) => entry.CallbackRate > 0m && entry.Key.Kind == TriggerKind.TrailingStop;

    /// <summary>What a fired stop's row and index entry become: any positive mark crosses it.</summary>
    public static TriggerEntry Fired(string owner) => new(owner, TriggerDirection.AtOrAbove, 0m);

    public bool Holds(TriggerEntry entry) => live.TryGetValue(entry.Owner, out var held) && held == entry;

    /// <summary>
    /// Places or replaces the owner's stop; false when nothing changed (the same stop again keeps its
    /// peak; a stop that already fired stays fired until its owner removes it).
    /// </summary>
    public bool Set(TriggerEntry entry, decimal mark)
    {
        if (Holds(entry) || index.Contains(entry.Owner))
        {
            return false;
        }

        Remove(entry.Owner);
        live[entry.Owner] = entry;
        if (mark <= 0m)
        {
            // No mark yet to start a peak from: placed at the first tick.
            unplaced.Add(entry);
            return true;
        }

        (book ??= new TrailingStops(mark)).Add(entry.Owner, Protects(entry), entry.CallbackRate, entry.Price > 0m ? entry.Price : null);
        return true;
    }

    public bool Remove(string owner)
    {
        if (!live.Remove(owner))
        {
            return false;
        }

        unplaced.RemoveAll(e => e.Owner == owner);
        book?.Remove(owner);
        return true;
    }

    /// <summary>A new mark: the stops it fires, already moved into the index in their fired form.</summary>
    public List<TriggerEntry> Tick(decimal mark)
    {
        if (unplaced.Count > 0)
        {
            var waiting = unplaced.ToList();
            unplaced.Clear();
            foreach (var entry in waiting)
            {
                live.Remove(entry.Owner);
                Set(entry, mark);
            }
        }

        if (book is null || book.Count == 0)
        {
            // An empty book is not ticked, so its mark goes stale: dropped, the next stop starts a
            // book at the shard's mark of its own time, as a stop placed without activation must.
            book = null;
            return [];
        }

        var fired = new List<TriggerEntry>();
        foreach (var stop in book.Tick(mark))
        {
            live.Remove(stop.Owner);
            fired.Add(Fired(stop.Owner));
        }

        return fired;
    }

    /// <summary>A SELL trailing stop (fires on a fall) protects a long; a BUY one a short.</summary>
    private static PositionSide Protects(TriggerEntry entry) =>
        entry.Direction == TriggerDirection.AtOrBelow ? PositionSide.Long : PositionSide.Short;
}
