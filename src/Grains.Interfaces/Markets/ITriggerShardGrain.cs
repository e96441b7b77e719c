namespace MarginOrleans.Markets;

/// <summary>
/// One shard of a market's trigger index, keyed <c>{symbol}/{shard}</c> (see <see cref="TriggerShards"/>).
/// A hot symbol's index spreads over K shards, and so over silos: memory, CPU and storage partitions.
/// </summary>
[Alias("ITriggerShardGrain")]
public interface ITriggerShardGrain : IGrainWithStringKey
{
    /// <summary>Nothing but activation, whose rebuild fires every entry the current mark crosses; sent by a market that restarted.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>
    /// The market's tick: wakes every owner whose trigger the mark crosses and who is not already
    /// awaited. The shifts (the market's funding so far) move liquidation triggers toward the mark.
    /// <paramref name="afterStale"/>: the first fresh tick after a stale mark — owners that answered
    /// under it (and keep waiting out a back-off) are woken at once.
    /// </summary>
    [Alias("Fire")]
    Task<ShardTick> Fire(decimal markPrice, decimal longShift, decimal shortShift, bool afterStale);

    /// <summary>
    /// Adds, moves or keeps one owner's trigger — the owner's answer to a wake-up; returns once
    /// the stored row fires no later than the entry: at once for a move that fires later (its row
    /// rides on the shard's next batch), else once the entry is durable. <paramref name="markPrice"/> is the mark the owner saw, used only by a
    /// shard that has not seen a tick yet. Its caller waits for the storage (<see cref="MarginCluster.DurableAnswerTimeout"/>).
    /// </summary>
    [Alias("Register"), ResponseTimeout(MarginCluster.DurableAnswerTimeout)]
    Task Register(TriggerEntry entry, decimal markPrice);

    /// <summary>
    /// The owner's answer to a wake-up that it keeps its entry while it delivers what the entry fired
    /// for (a flat position's liquidation report, retried by the owner itself while it lives): it is
    /// asked again only after the longest timeout, for the case its silo died. Changes no row, but
    /// answers, as <see cref="Register"/> does, once the owner's stored row fires no later than its entry.
    /// </summary>
    [Alias("Delivering"), ResponseTimeout(MarginCluster.DurableAnswerTimeout)]
    Task Delivering(string owner);

    /// <summary>Removes one owner's trigger, if any; answered at once, the row's delete riding on the shard's next batch.</summary>
    [Alias("Remove")]
    Task Remove(string owner);

    /// <summary>
    /// An isolated position's entry, which its own row holds — or will once the write that follows is
    /// through (<paramref name="stored"/> false: an entry that fires sooner, told before the write and
    /// again after it). Held in memory and answered at once; a row of the shard's own for the owner is
    /// deleted with the next batch once the owner's row holds the entry, and replaced by a sooner
    /// entry, durably, before the answer to a hold that precedes the owner's write.
    /// </summary>
    [Alias("Hold"), ResponseTimeout(MarginCluster.DurableAnswerTimeout)]
    Task Hold(TriggerEntry entry, decimal markPrice, bool stored);

    /// <summary>
    /// Removes an isolated position's entry that its own row still names (a delivered liquidation's,
    /// until the row's next write); answered at once, a release row naming it riding on the shard's next batch.
    /// </summary>
    [Alias("Release")]
    Task Release(TriggerEntry entry);

    /// <summary>The auto-deleveraging queue of <paramref name="side"/> in this shard at its mark: up to <paramref name="count"/> positions in profit, best-ranked first.</summary>
    [Alias("RankDeleverage")]
    Task<IReadOnlyList<DeleverageCandidate>> RankDeleverage(PositionSide side, int count);

    /// <summary>The owner's ADL indicator, 1 (last) to 5 (first to be deleveraged); 0 when it has no liquidation trigger here.</summary>
    [Alias("DeleverageQuantile")]
    Task<int> DeleverageQuantile(string owner);

    /// <summary>
    /// Read-only: the liquidation entries with a standing, summed per side into <paramref name="buckets"/>
    /// price buckets of <paramref name="bucketSize"/> from <paramref name="lowest"/> up, each entry at
    /// the price it fires at now (funding shift applied); only non-empty cells.
    /// </summary>
    [Alias("LiquidationHeat")]
    Task<IReadOnlyList<HeatCell>> LiquidationHeat(decimal lowest, decimal bucketSize, int buckets);

    /// <summary>
    /// Read-only: the liquidation entries with a standing that a mark of <paramref name="markPrice"/>
    /// would fire, by the same comparison a tick makes, with what each would move to the insurance fund.
    /// </summary>
    [Alias("Stress")]
    Task<IReadOnlyList<StressedEntry>> Stress(decimal markPrice);

    /// <summary>Wakes every owner to re-check and re-register (new brackets move every liquidation price).</summary>
    [Alias("WakeAll")]
    Task WakeAll();

    /// <summary>
    /// Wakes every cross account with a band here: at a funding time, so each settles the funding
    /// of all its cross symbols from its one wallet at once and re-publishes every band from it.
    /// </summary>
    [Alias("WakeBands")]
    Task WakeBands();
}

/// <summary>What one shard did with a tick (with what its activation fired since the last tick), and its counts.</summary>
[GenerateSerializer, Immutable, Alias("ShardTick")]
public sealed record ShardTick([property: Id(0)] int Fired, [property: Id(1)] ShardCounts Counts);

/// <summary>
/// How many entries a shard holds and how many woken owners have not answered yet (its liquidation
/// backlog), numbered by the shard's activation (<paramref name="Epoch"/>, drawn at random when it
/// starts) in the order it told them: a tick's answer and a report can reach the market in either order,
/// and the market keeps the later one.
/// </summary>
[GenerateSerializer, Immutable, Alias("ShardCounts")]
public sealed record ShardCounts([property: Id(0)] int Entries, [property: Id(1)] int Backlog, [property: Id(2)] long Epoch, [property: Id(3)] long Number)
{
    public static readonly ShardCounts None = new(0, 0, 0, 0);

    /// <summary>Told by a shard's activation; <see cref="None"/> is what a market knows before a shard has told it anything.</summary>
    public bool Heard => Epoch != 0;

    /// <summary>Told after <paramref name="before"/>: by a later activation, or later by the same one.</summary>
    public bool After(ShardCounts before) => Epoch != before.Epoch || Number > before.Number;
}
