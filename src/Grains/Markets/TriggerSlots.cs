namespace MarginOrleans.Markets;

/// <summary>
/// A trigger index's entries, one slot each: owner, lane, normalized scaled price and ranking
/// figures in parallel arrays. Slots are found by owner through a set of slot numbers hashed by
/// their owner string (16 bytes an entry; a dictionary from owner to slot takes 28). Slot 0 is the
/// probe for lookups; freed slots are reused.
/// </summary>
internal sealed class TriggerSlots
{
    private readonly HashSet<int> slotOf;
    private string?[] owners = new string?[16];
    private long[] prices = new long[16];
    private TriggerLane[] laneOf = new TriggerLane[16];
    private readonly Stack<int> free = new();
    private int slotsUsed = 1;

    public TriggerSlots() => slotOf = new HashSet<int>(new ByOwner(this));

    /// <summary>The slots' auto-deleveraging figures, grown with them.</summary>
    public StandingColumns Standings { get; } = new();

    public int Count => slotOf.Count;

    /// <summary>Every slot ever taken is below this: a scan of all entries runs from 1 to here.</summary>
    public int Used => slotsUsed;

    public IReadOnlyList<string> Owners => [.. slotOf.Select(slot => owners[slot]!)];

    /// <summary>The slot's owner, or null when the slot is free.</summary>
    public string? Owner(int slot) => owners[slot];

    public TriggerLane Lane(int slot) => laneOf[slot];

    public long Price(int slot) => prices[slot];

    public int? SlotOf(string owner)
    {
        owners[0] = owner;
        var found = slotOf.TryGetValue(0, out var slot) ? slot : (int?)null;
        owners[0] = null;
        return found;
    }

    /// <summary>A slot for an owner that has none: a freed one if any, else a new one.</summary>
    public int Add(string owner)
    {
        var slot = free.Count > 0 ? free.Pop() : NewSlot();
        owners[slot] = owner;
        slotOf.Add(slot);
        return slot;
    }

    public void Place(int slot, TriggerLane lane, long price) => (prices[slot], laneOf[slot]) = (price, lane);

    public void Free(int slot)
    {
        // Out of the set while the owner is still there to hash it by.
        slotOf.Remove(slot);
        owners[slot] = null;
        free.Push(slot);
    }

    /// <summary>
    /// A lane's check that one of its sorted pairs is still an entry: a pair left behind by a moved
    /// or removed entry is stale. Captures this object, not the index, so a tick's check is one hop.
    /// </summary>
    public Func<long, int, bool> LiveIn(TriggerLane lane) => (price, slot) => IsLive(lane, price, slot);

    private bool IsLive(TriggerLane lane, long price, int slot) => owners[slot] is not null && laneOf[slot] == lane && prices[slot] == price;

    private int NewSlot()
    {
        if (slotsUsed == owners.Length)
        {
            var size = owners.Length * 2;
            Array.Resize(ref owners, size);
            Array.Resize(ref prices, size);
            Array.Resize(ref laneOf, size);
            Standings.Resize(size);
        }

        return slotsUsed++;
    }

    /// <summary>Slots compared by their owners: what lets a set of ints stand for a dictionary keyed by string.</summary>
    private sealed class ByOwner(TriggerSlots slots) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => string.Equals(slots.owners[x], slots.owners[y], StringComparison.Ordinal);

        public int GetHashCode(int slot) => StringComparer.Ordinal.GetHashCode(slots.owners[slot]!);
    }
}
