namespace MarginOrleans.Markets;

/// <summary>
/// One side of a trigger index as flat arrays: prices (scaled integers) and slots sorted by
/// price, plus a short unsorted tail of recent registrations that is merged in once it grows.
/// 12 bytes an entry where a tree node took 64. Changed or removed entries are left behind as
/// stale pairs, skipped by the caller's liveness check and dropped at the next merge.
/// </summary>
internal sealed class TriggerSide(TriggerDirection direction)
{
    /// <summary>
    /// A tick scans at most this many unsorted registrations before it merges them — fewer on a
    /// small side (an eighth of it, at least 64), where merging costs little and a scan of the
    /// whole tail would cost more than the tick.
    /// </summary>
    private const int TailAtTick = 1024;
    private const int TailAtTickMin = 64;

    /// <summary>Registrations between ticks are merged at this tail length, or when the tail outgrows the sorted part.</summary>
    private const int TailMin = 4096;

    private long[] prices = [];
    private int[] slots = [];
    private int sorted;
    private bool mergeSoon;
    private readonly List<(long Price, int Slot)> tail = [];

    /// <summary>Pairs held, live or stale.</summary>
    public int Held => sorted + tail.Count;

    public void Add(long price, int slot, Func<long, int, bool> isLive)
    {
        tail.Add((price, slot));
        if (tail.Count >= Math.Max(TailMin, sorted))
        {
            Merge(isLive);
        }
    }

    /// <summary>
    /// Every live pair the mark crosses, in price order from the mark outward for the sorted part.
    /// Stale pairs met on the way (the entries of owners liquidated since) are skipped and counted:
    /// more than a tick's worth and the next tick merges them away, so a cascade's leftovers do
    /// not cost every later tick.
    /// </summary>
    public void Crossed(long mark, List<int> into, Func<long, int, bool> isLive, int live)
    {
        if (mergeSoon || tail.Count > Math.Min(TailAtTick, Math.Max(TailAtTickMin, sorted / 8)) || Held - live > Math.Max(TailMin, live / 4))
        {
            Merge(isLive);
        }

        var stale = 0;
        var (from, to) = direction == TriggerDirection.AtOrBelow
            ? (LowerBound(mark), sorted)  // fires when mark ≤ price: every price at or above the mark
            : (0, UpperBound(mark));      // fires when mark ≥ price: every price at or below the mark
        for (var i = from; i < to; i++)
        {
            if (isLive(prices[i], slots[i]))
            {
                into.Add(slots[i]);
            }
            else
            {
                stale++;
            }
        }

        foreach (var (price, slot) in tail)
        {
            if ((direction == TriggerDirection.AtOrBelow ? mark <= price : mark >= price) && isLive(price, slot))
            {
                into.Add(slot);
            }
        }

        mergeSoon = stale > TailAtTick;
    }

    /// <summary>Sorts the tail into the arrays, dropping stale and repeated pairs: O(held + tail log tail).</summary>
    private void Merge(Func<long, int, bool> isLive)
    {
        tail.Sort();
        var mergedPrices = new long[Held];
        var mergedSlots = new int[Held];
        var (i, j, n) = (0, 0, 0);
        while (i < sorted || j < tail.Count)
        {
            var fromSorted = j == tail.Count || (i < sorted && (prices[i], slots[i]).CompareTo(tail[j]) <= 0);
            var (price, slot) = fromSorted ? (prices[i++], slots[i - 1]) : tail[j++];
            var repeated = n > 0 && mergedPrices[n - 1] == price && mergedSlots[n - 1] == slot;
            if (!repeated && isLive(price, slot))
            {
                (mergedPrices[n], mergedSlots[n]) = (price, slot);
                n++;
            }
        }

        Array.Resize(ref mergedPrices, n);
        Array.Resize(ref mergedSlots, n);
        (prices, slots, sorted, mergeSoon) = (mergedPrices, mergedSlots, n, false);
        tail.Clear();
        if (tail.Capacity > TailMin * 2)
        {
            tail.Capacity = TailMin; // a bulk load's tail is not kept
        }
    }

    /// <summary>The first index whose price is above <paramref name="mark"/>.</summary>
    private int UpperBound(long mark) => mark == long.MaxValue ? sorted : LowerBound(mark + 1);

    private int LowerBound(long mark)
    {
        var (lo, hi) = (0, sorted);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (prices[mid] < mark)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
