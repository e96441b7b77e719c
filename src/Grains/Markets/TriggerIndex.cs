namespace MarginOrleans.Markets;

/// <summary>
/// A shard's trigger prices, one entry per owner, sorted so that a tick visits only the entries
/// it crosses: O(log N + fired), independent of how many positions are open.
/// A fired owner is woken once and then awaited (<see cref="AwaitedOwners"/>): until it answers by
/// registering or removing its entry no tick wakes it again; only <see cref="Overdue"/> does.
/// </summary>
public sealed class TriggerIndex
{
    /// <summary>How long a woken owner has to answer before it is woken again, at first.</summary>
    public static TimeSpan AnswerTimeout => AwaitedOwners.AnswerTimeout;

    // Sorted prices, live-entry checks and live-entry counts per lane, indexed by its number.
    private readonly TriggerSide[] lanes = [.. TriggerLanes.All.Select(lane => new TriggerSide(lane.Direction()))];
    private readonly Func<long, int, bool>[] isLive;
    private readonly int[] liveIn = new int[TriggerLanes.All.Length];

    private readonly TriggerSlots slots = new();
    private readonly TriggerPrices prices = new();
    private readonly DeleverageRanking ranking;
    private readonly AwaitedOwners awaited;
    private readonly LiquidationScan scan;

    /// <param name="storageWait">How long a storage write sent now waits in the silo's queue (<see cref="AwaitedOwners"/>); none if absent.</param>
    public TriggerIndex(Func<TimeSpan>? storageWait = null)
    {
        awaited = new AwaitedOwners(storageWait ?? (() => TimeSpan.Zero));
        ranking = new DeleverageRanking(slots);
        scan = new LiquidationScan(slots, prices, Crosses);
        isLive = [.. TriggerLanes.All.Select(slots.LiveIn)];
    }

    public int Count => slots.Count;

    /// <summary>Owners woken that have not answered yet.</summary>
    public int Awaited => awaited.Count;

    /// <summary>
    /// Owners a liquidation trigger woke that have not answered at all: the market's liquidation
    /// backlog. An owner that answered by keeping its entry is still awaited (to be asked again)
    /// but no longer counted; take-profit and stop-loss wake-ups are never counted.
    /// </summary>
    public int Unanswered => awaited.Unanswered;

    public IReadOnlyList<string> Owners => slots.Owners;

    public bool Contains(string owner) => slots.SlotOf(owner) is not null;

    /// <summary>
    /// The market's funding so far. Every liquidation trigger registered under a smaller shift
    /// (its <see cref="TriggerEntry.Frame"/>) now fires that much nearer the mark: a position
    /// that has not settled its funding yet is liquidated early, never late. O(1): the lanes
    /// hold prices relative to shift zero, so nothing is re-sorted. Shifts only grow: a tick
    /// delivered late never moves them back.
    /// </summary>
    public void Shift(decimal longs, decimal shorts) => prices.Shift(longs, shorts);

    /// <summary>
    /// True when the index holds exactly this entry, compared at the index's precision: price, lane
    /// and ranking figures (a partial ADL changes those, not the price).
    /// </summary>
    public bool Holds(TriggerEntry entry) =>
        slots.SlotOf(entry.Owner) is { } slot && slots.Lane(slot) == TriggerLanes.Of(entry) && slots.Price(slot) == TriggerPrices.Normalized(entry) && slots.Standings.Holds(slot, entry.Standing);

    /// <summary>
    /// True when the owner's entry here fires at every mark <paramref name="entry"/> fires at (same
    /// lane, price no nearer the mark): replacing it by this one makes the owner fire later, never sooner.
    /// </summary>
    public bool FiresNoLaterThan(TriggerEntry entry)
    {
        if (slots.SlotOf(entry.Owner) is not { } slot || slots.Lane(slot) != TriggerLanes.Of(entry))
        {
            return false;
        }

        var (held, next) = (slots.Price(slot), TriggerPrices.Normalized(entry));
        return slots.Lane(slot).FiresAtOrBelow() ? next <= held : next >= held;
    }

    /// <summary>Adds the owner's entry, replacing any it had; wakes nobody (used to rebuild from storage).</summary>
    public void Set(TriggerEntry entry)
    {
        var (lane, price) = (TriggerLanes.Of(entry), TriggerPrices.Normalized(entry));
        if (slots.SlotOf(entry.Owner) is { } slot)
        {
            slots.Standings.Set(slot, entry.Standing);
            if (slots.Lane(slot) == lane && slots.Price(slot) == price)
            {
                return;
            }

            liveIn[(int)slots.Lane(slot)]--;
        }
        else
        {
            slot = slots.Add(entry.Owner);
            slots.Standings.Set(slot, entry.Standing);
        }

        slots.Place(slot, lane, price);
        liveIn[(int)lane]++;
        if (lane.IsLiquidation())
        {
            // The owner priced it under this shift: the market has paid that much funding, whether or not its tick has come.
            Shift(lane == TriggerLane.LongLiquidation ? entry.Frame : 0m, lane == TriggerLane.ShortLiquidation ? entry.Frame : 0m);
        }

        lanes[(int)lane].Add(price, slot, isLive[(int)lane]);
    }

    /// <summary>
    /// The owner's answer to a wake-up, or a first registration. Tells whether to wake it now:
    /// when the current mark crosses the entry — a registration behind the mark fires at once —
    /// unless an awaited owner answered with the very entry it had (it looked and kept it) or with
    /// a <see cref="DurableWakeUp"/> (it is delivering, and registered the wake-up in case it dies
    /// doing so): it is asked again only after a timeout, never in a loop, never at once — after
    /// a durable wake-up, only after the longest timeout.
    /// </summary>
    public bool Register(TriggerEntry entry, decimal mark, DateTimeOffset now)
    {
        var kept = Holds(entry);
        Set(entry);
        var slot = slots.SlotOf(entry.Owner)!.Value;
        var wasAwaited = awaited.Unawait(slot, out var last);
        if (!Crosses(slot, mark))
        {
            return false;
        }

        if (wasAwaited && DurableWakeUp.Is(entry))
        {
            AwaitDelivery(slot, now, last);
            return false;
        }

        if (wasAwaited && kept)
        {
            Await(slot, now, last.Attempts + 1, answered: true);
            return false;
        }

        Await(slot, now, 0);
        return true;
    }

    /// <summary>An awaited owner's answer that it keeps its entry while it delivers (<see cref="ITriggerShardGrain.Delivering"/>); any other owner's changes nothing.</summary>
    public void Delivering(string owner, DateTimeOffset now)
    {
        if (slots.SlotOf(owner) is { } slot && awaited.Unawait(slot, out var last))
        {
            AwaitDelivery(slot, now, last);
        }
    }

    public bool Remove(string owner)
    {
        if (slots.SlotOf(owner) is not { } slot)
        {
            return false;
        }

        // Its pairs in the lanes go stale with the owner gone and are dropped at their next merge.
        awaited.Unawait(slot, out _);
        liveIn[(int)slots.Lane(slot)]--;
        slots.Free(slot);
        return true;
    }

    /// <summary>Stops waiting for every owner: the next <see cref="Fire"/> wakes all it crosses (after a stale mark, whose answers prove nothing).</summary>
    public void ForgetAwaited()
    {
        awaited.Clear();
    }

    /// <summary>The owners whose trigger the mark crosses and who are not already awaited; each is now awaited.</summary>
    public List<string> Fire(decimal mark, DateTimeOffset now)
    {
        var crossed = new List<int>();
        if (mark > 0)
        {
            foreach (var lane in TriggerLanes.All)
            {
                lanes[(int)lane].Crossed(prices.MarkIn(lane, mark), crossed, isLive[(int)lane], liveIn[(int)lane]);
            }
        }

        var fired = new List<string>();
        foreach (var slot in crossed)
        {
            // A stale pair is skipped; a repeated live pair finds its owner already awaited.
            if (slots.Owner(slot) is { } owner && Crosses(slot, mark) && !awaited.Contains(slot))
            {
                Await(slot, now, 0);
                fired.Add(owner);
            }
        }

        return fired;
    }

    /// <summary>
    /// Awaited owners past their timeout whose entry the mark still crosses: to be woken again,
    /// with no tick needed. Those whose entry the mark no longer crosses are not awaited any more.
    /// </summary>
    public List<string> Overdue(decimal mark, DateTimeOffset now)
    {
        var again = new List<string>();
        foreach (var slot in awaited.Due(now))
        {
            awaited.Unawait(slot, out var last);
            var attempts = last.Attempts + 1;
            if (Crosses(slot, mark))
            {
                Await(slot, now, attempts);
                again.Add(slots.Owner(slot)!);
            }
        }

        return again;
    }

    /// <summary>The auto-deleveraging queue of <paramref name="side"/> at the mark, best first (<see cref="DeleverageRanking.Ranked"/>).</summary>
    public List<DeleverageCandidate> Ranked(PositionSide side, decimal mark, int count) => ranking.Ranked(side, mark, count);

    /// <summary>The owner's ADL indicator (1–5), or 0 when it has no standing here (<see cref="DeleverageRanking.Quantile"/>).</summary>
    public int Quantile(string owner, decimal mark, DateTimeOffset now) => ranking.Quantile(owner, mark, now);

    /// <summary>The liquidation entries summed by price bucket (<see cref="LiquidationScan.Heat"/>); changes nothing.</summary>
    public List<HeatCell> Heat(decimal lowest, decimal bucketSize, int buckets) => scan.Heat(lowest, bucketSize, buckets);

    /// <summary>The liquidation entries a mark of <paramref name="mark"/> would fire (<see cref="LiquidationScan.Stress"/>); changes nothing.</summary>
    public List<StressedEntry> Stress(decimal mark) => scan.Stress(mark);

    /// <summary>Whether the mark crosses the slot's entry, at the index's precision: early, never late.</summary>
    private bool Crosses(int slot, decimal mark)
    {
        var lane = slots.Lane(slot);
        return mark > 0 && (lane.FiresAtOrBelow() ? prices.MarkIn(lane, mark) <= slots.Price(slot) : prices.MarkIn(lane, mark) >= slots.Price(slot));
    }

    /// <summary>An owner delivering retries on its own while it lives: it is asked only whether it still does, and seldom.</summary>
    private void AwaitDelivery(int slot, DateTimeOffset now, AwaitedOwners.Wake last) =>
        Await(slot, now, Math.Max(last.Attempts + 1, AwaitedOwners.AttemptsAtLongestWait), answered: true);

    /// <summary>Only a liquidation wake-up not answered at all counts in the backlog: an answer that kept its entry is merely asked again.</summary>
    private void Await(int slot, DateTimeOffset now, int attempts, bool answered = false) =>
        awaited.Await(slot, now, attempts, backlog: !answered && slots.Lane(slot).IsLiquidation());
}
