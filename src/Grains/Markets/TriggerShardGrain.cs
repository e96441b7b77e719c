using MarginOrleans.Accounts;
using MarginOrleans.Placement;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;

namespace MarginOrleans.Markets;

/// <summary>
/// One shard of a market's trigger index. An isolated position's entries lie in the position's own
/// row and are held here in memory (<see cref="Hold"/>); every other entry the shard stores in rows
/// of its own: registrations and removals change the index at once; a registration is acknowledged
/// after a group-committed batch write of its partition, and removals and moves that fire later
/// ride on the next one (at the latest the timer's), so a cascade of removals costs one storage
/// operation per hundred. Reentrant for that group commit; every turn changes memory before its
/// first await, so turns never see half a change.
/// </summary>
[Reentrant]
[OnSiloRole(SiloRoles.Markets)]
[RandomPlacement] // a hot market's shards spread over the silos: memory, CPU and storage partitions
public sealed partial class TriggerShardGrain : Grain, ITriggerShardGrain
{
    private static readonly TimeSpan OverdueCheck = TimeSpan.FromSeconds(1);

    private readonly TriggerIndex index;
    private readonly TrailingOrders trailing;
    private readonly TriggerStore store;
    private readonly TimeProvider time;
    private readonly ILogger<TriggerShardGrain> log;
    private readonly IFaultInjector faults;
    private readonly ShardRows rows;
    private decimal mark;

    /// <summary>The entry count and backlog the market last heard of.</summary>
    private (int Count, int Backlog) reported = (-1, 0);

    /// <summary>Numbers what this activation tells the market (<see cref="ShardCounts"/>).</summary>
    private readonly long epoch = Random.Shared.NextInt64(1, long.MaxValue);
    private long told;

    /// <summary>Owners the activation woke, reported with the next tick.</summary>
    private int firedUnreported;

    public TriggerShardGrain(TriggerStore store, StorageQueues queues, TimeProvider time, ILogger<TriggerShardGrain> log, IFaultInjector faults)
    {
        (this.store, this.time, this.log, this.faults) = (store, time, log, faults);
        index = new TriggerIndex(() => queues.Wait);
        rows = new ShardRows(changes =>
        {
            faults.At(FaultPoints.TriggerRowsUnwritten, this.GetPrimaryKeyString());
            return store.Write(Partition, changes);
        });
        trailing = new TrailingOrders(index);
    }

    private (string Symbol, int Shard)? key;

    private string Symbol => (key ??= TriggerShards.Parse(this.GetPrimaryKeyString())).Symbol;

    private int Shard => (key ??= TriggerShards.Parse(this.GetPrimaryKeyString())).Shard;

    /// <summary>Every entry the shard holds: the index's and the live trailing stops.</summary>
    private int Count => index.Count + trailing.Count;

    /// <summary>The storage partition: table keys may not hold '/'.</summary>
    private string Partition => $"{Symbol}_{Shard}";

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        EngineMetrics.TriggerEntries.Add(-Count);
        await rows.WriteDeferred(); // what a next activation would otherwise wake once more for nothing
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        faults.At(FaultPoints.ShardUnstarted, this.GetPrimaryKeyString());

        // Rebuilt from its own rows and its isolated positions' (the sooner where both hold one):
        // every trigger registered before a crash fires after it, at once if the current mark already
        // crosses it — no further tick is needed.
        var (own, held) = (store.Load(Partition), store.LoadHeld(Symbol, Shard));
        await Task.WhenAll(own, held);
        rows.Loaded(own.Result.Owners);
        var stored = ShardRebuild.Entries(own.Result, held.Result);
        foreach (var entry in stored.Where(e => !TrailingOrders.IsLive(e)))
        {
            index.Set(entry);
        }

        var market = await GrainFactory.GetGrain<IMarketGrain>(Symbol).GetSnapshot();
        mark = market is { HasMark: true } ? market.MarkPrice : 0m;

        // A trailing stop's peak restarts from the mark now: the peak is not written at every tick.
        foreach (var entry in stored.Where(TrailingOrders.IsLive))
        {
            trailing.Set(entry, mark);
        }

        EngineMetrics.TriggerEntries.Add(Count);
        if (market is { HasMark: true })
        {
            index.Shift(market.Funding.Point.LongShift, market.Funding.Point.ShortShift);
            var fired = index.Fire(mark, time.GetUtcNow());
            firedUnreported = fired.Count;
            Wake(fired);
        }

        this.RegisterGrainTimer(OnTimer, OverdueCheck, OverdueCheck);
    }

    /// <summary>The market restarted and knows no counts: report ours at the next timer.</summary>
    public Task Start()
    {
        reported = (-1, 0);
        return Task.CompletedTask;
    }

    public Task<ShardTick> Fire(decimal markPrice, decimal longShift, decimal shortShift, bool afterStale)
    {
        mark = markPrice;
        if (afterStale)
        {
            index.ForgetAwaited();
        }

        index.Shift(longShift, shortShift);
        var fired = index.Fire(markPrice, time.GetUtcNow());
        foreach (var stop in trailing.Tick(markPrice))
        {
            // Written in its fired form, so a crash before its owner answers still wakes it.
            rows.Set(stop.Owner, new ShardRow(stop), awaited: true);
            index.Register(stop, markPrice, time.GetUtcNow());
            fired.Add(stop.Owner);
        }

        Wake(fired);
        var tick = new ShardTick(fired.Count + firedUnreported, Counts());
        firedUnreported = 0;
        return Task.FromResult(tick);
    }

    public Task Register(TriggerEntry entry, decimal markPrice)
    {
        mark = mark > 0 ? mark : markPrice;
        if (TrailingOrders.IsLive(entry))
        {
            return RegisterTrailing(entry);
        }

        var later = false;
        if (!index.Holds(entry))
        {
            // The row stored fires no later than the entry held: one that fires later still can wait.
            later = !rows.AwaitsWrite(entry.Owner) && !toldBeforeWrite.Contains(entry.Owner) && index.FiresNoLaterThan(entry);
            rows.Set(entry.Owner, new ShardRow(entry), awaited: !later);
        }

        toldBeforeWrite.Remove(entry.Owner);
        Place(entry);
        return later ? Task.CompletedTask : rows.DurableFor(entry.Owner);
    }

    /// <summary>Puts the entry in the index, waking its owner at once if the mark already crosses it.</summary>
    private void Place(TriggerEntry entry)
    {
        var before = index.Count;
        if (index.Register(entry, mark, time.GetUtcNow()))
        {
            Wake([entry.Owner]);
        }

        EngineMetrics.TriggerEntries.Add(index.Count - before);
        ReportWorkedOff();
    }

    public Task Delivering(string owner)
    {
        index.Delivering(owner, time.GetUtcNow());
        ReportWorkedOff();
        return rows.DurableFor(owner);
    }

    /// <summary>A live trailing stop goes to the trailing book; the same stop again changes nothing and keeps its peak.</summary>
    private Task RegisterTrailing(TriggerEntry entry)
    {
        var before = Count;
        if (trailing.Set(entry, mark))
        {
            rows.Set(entry.Owner, new ShardRow(entry), awaited: true);
        }

        EngineMetrics.TriggerEntries.Add(Count - before);
        return rows.DurableFor(entry.Owner);
    }

    /// <summary>
    /// Answered at once: the row's delete (if the shard has a row for the owner: an isolated
    /// position's entries lie in its own) rides on the shard's next write, or its timer's within a
    /// second, so a cascade's removals share batches of a hundred. A crash before then leaves a row
    /// that wakes its owner once more after the restart; the owner, holding nothing here, removes
    /// it again — an extra wake-up, never a missed one. A registration that moves an entry to fire
    /// later (more margin, a take-profit further out) is answered the same way and for the same
    /// reason: the row a crash leaves fires early, and if the mark reaches it the owner answers with
    /// what it holds. Until then (or the owner's next publish) the index's views read that row's
    /// figures: the heat map, the stress view and the deleveraging ranking.
    /// </summary>
    public Task Remove(string owner)
    {
        Forget(owner);
        rows.Delete(owner);
        return Task.CompletedTask;
    }

    private void Forget(string owner)
    {
        toldBeforeWrite.Remove(owner);
        if (index.Remove(owner) || trailing.Remove(owner))
        {
            EngineMetrics.TriggerEntries.Add(-1);
            ReportWorkedOff();
        }
    }

    public Task<IReadOnlyList<DeleverageCandidate>> RankDeleverage(PositionSide side, int count) =>
        Task.FromResult<IReadOnlyList<DeleverageCandidate>>(index.Ranked(side, mark, count));

    public Task<int> DeleverageQuantile(string owner) => Task.FromResult(index.Quantile(owner, mark, time.GetUtcNow()));

    public Task<IReadOnlyList<HeatCell>> LiquidationHeat(decimal lowest, decimal bucketSize, int buckets) =>
        Task.FromResult<IReadOnlyList<HeatCell>>(index.Heat(lowest, bucketSize, buckets));

    public Task<IReadOnlyList<StressedEntry>> Stress(decimal markPrice) =>
        Task.FromResult<IReadOnlyList<StressedEntry>>(index.Stress(markPrice));

    public Task WakeAll()
    {
        Wake(index.Owners);
        return Task.CompletedTask;
    }

    public Task WakeBands()
    {
        Wake(index.Owners.Where(o => TriggerKey.Parse(o) is { Owner: TriggerOwnerKind.CrossAccount, Kind: TriggerKind.Liquidation }));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Once a second: re-wakes owners overdue with an answer, tells the market changed figures, and
    /// starts writing what was answered at once (<see cref="Remove"/>) — not awaited, since a timer
    /// does not tick again until its callback is done, and a write that queues behind a cascade must
    /// not hold up the next second's re-wakes.
    /// </summary>
    private async Task OnTimer()
    {
        Report();
        await WakeOverdue();
        rows.WriteDeferred().Ignore(); // a failed write leaves them unwritten: the next second's timer tries again
    }

    /// <summary>The counts now, numbered, as the market hears of them next.</summary>
    private ShardCounts Counts()
    {
        reported = (Count, index.Unanswered);
        return new ShardCounts(reported.Count, reported.Backlog, epoch, ++told);
    }

    /// <summary>The last owner of a backlog answered: opens held back on this market may go now, not a second later.</summary>
    private void ReportWorkedOff()
    {
        if (index.Unanswered == 0 && reported.Backlog > 0)
        {
            Report();
        }
    }

    private void Report()
    {
        if ((Count, index.Unanswered) != reported)
        {
            GrainFactory.GetGrain<IMarketGrain>(Symbol).ReportShard(Shard, Counts()).Ignore();
        }
    }

    private Task WakeOverdue()
    {
        if (mark > 0 && index.Awaited > 0)
        {
            var again = index.Overdue(mark, time.GetUtcNow());
            if (again.Count > 0)
            {
                LogRefired(again.Count, index.Awaited);
                EngineMetrics.TriggersRewoken.Add(again.Count);
                Wake(again);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>One-way calls (<see cref="TriggerOwners"/>): the shard never waits on an owner, so a tick costs O(fired) sends.</summary>
    private void Wake(IEnumerable<string> owners)
    {
        var symbol = Symbol;
        foreach (var owner in owners)
        {
            EngineMetrics.TriggersFired.Add(1);
            TriggerOwners.Wake(GrainFactory, symbol, TriggerKey.Parse(owner));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-woke {Count} owners that had not answered in time ({Awaited} awaited)")]
    private partial void LogRefired(int count, int awaited);
}
