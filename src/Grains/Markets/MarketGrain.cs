using MarginOrleans.Operations;
using MarginOrleans.Placement;
using MarginOrleans.Risk;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Markets;

/// <summary>
/// A market: parameters and mark price. Its trigger index lives in K shard grains; a tick fans
/// out to all of them in parallel, each walks only its crossed entries and wakes their owners
/// with one-way calls, so a tick never waits on a position.
/// </summary>
[OnSiloRole(SiloRoles.Markets)]
public sealed class MarketGrain : Grain, IMarketGrain
{
    /// <summary>Marks the basis is averaged over; a source is fresh this long when the market sets no staleness window.</summary>
    private const int BasisMarks = 30;
    private const int DefaultSourceFreshSeconds = 10;

    private readonly IPersistentState<MarketState> state;
    private readonly TimeProvider time;

    /// <summary>Every state write, one at a time: interleaved ticks share one, Create and Update wait their turn.</summary>
    private readonly GroupCommit commit;
    private IReadOnlyList<BracketView>? bracketViews;

    /// <summary>The shards' references, built once: the shard count never changes.</summary>
    private ITriggerShardGrain[] shards = [];

    /// <summary>Entries and unanswered wake-ups per shard: the later of its last tick's answer and its own last report.</summary>
    private ShardCounts[] shardCounts = [];

    /// <summary>Starts again the shards not heard from since this activation; ends once all have been.</summary>
    private IGrainTimer? unheard;

    /// <summary>As often as a shard reports its counts on its own.</summary>
    private static readonly TimeSpan UnheardRetry = TimeSpan.FromSeconds(1);

    public MarketGrain([PersistentState("market", MarginCluster.Storage)] IPersistentState<MarketState> state, TimeProvider time)
    {
        (this.state, this.time) = (state, time);
        commit = new GroupCommit(Write, "mark");
    }

    private string Symbol => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Start the shards without waiting (they ask this market for its mark as they activate), so
        // that entries crossed while the market was down fire without waiting for the next tick.
        if (state.State.Spec is { } spec)
        {
            StartShards(spec);

            // A fund that owes resumes auto-deleveraging as it activates (its own timer keeps it going after that).
            GrainFactory.GetGrain<IInsuranceFundGrain>(spec.InsuranceFund).Resume().Ignore();
        }

        return Task.CompletedTask;
    }

    public async Task<Rejected> Create(MarketSpec spec)
    {
        spec = spec.TriggerShards == 0 ? spec with { TriggerShards = MarketSpec.DefaultTriggerShards } : spec;
        var check = MarketRules.Validate(spec);
        if (!check.IsOk)
        {
            return check;
        }

        if (spec.Symbol != Symbol)
        {
            return new Rejected(Rejection.MarketSpecInvalid, $"symbol {spec.Symbol} is not this market's, {Symbol}");
        }

        var directory = GrainFactory.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key);
        if (state.State.Spec is not null)
        {
            // A create retried after its listing failed (the directory's silo died) lists it now:
            // unlisted, the gateways would refuse every command for it.
            await directory.Add(Symbol);
            return new Rejected(Rejection.MarketExists, $"market {Symbol} already exists");
        }

        (state.State.Spec, bracketViews) = (spec, null);
        commit.Changed();
        await commit.Durable(); // a failed write ends this activation (Write): a retry reads what is stored
        await directory.Add(Symbol);
        StartShards(spec); // so that its counts are known (none) before its first tick
        return Rejected.Ok;
    }

    public async Task<Rejected> Update(MarketSpec spec)
    {
        if (state.State.Spec is not { } old)
        {
            return new Rejected(Rejection.SymbolUnknown, $"unknown symbol {Symbol}");
        }

        // Its transfers and what its fund owes stay where they are: refused by name, not dropped in silence.
        if (spec.SharedInsuranceFund != old.SharedInsuranceFund)
        {
            return new Rejected(Rejection.InsuranceFundFixedAtCreation,
                $"shared_insurance_fund is fixed at creation: {Symbol} was created with {(old.SharedInsuranceFund ? "true" : "false")}");
        }

        spec = spec.TriggerShards == 0 ? spec with { TriggerShards = old.ShardCount } : spec;
        spec = spec with
        {
            Funding = spec.Funding ?? old.Funding,
            StaleAfterSeconds = spec.StaleAfterSeconds == 0 ? old.StaleAfterSeconds : spec.StaleAfterSeconds,
            CircuitBreaker = spec.CircuitBreaker ?? old.CircuitBreaker,
        };
        if (MarketRules.Validate(spec) is { IsOk: false } invalid)
        {
            return invalid;
        }

        if (spec.TickSize != old.TickSize || spec.LotSize != old.LotSize || spec.Symbol != Symbol || spec.ShardCount != old.ShardCount)
        {
            return new Rejected(Rejection.MarketSpecInvalid, "symbol, tick size, lot size and trigger shards cannot change");
        }

        (state.State.Spec, bracketViews) = (spec, null);
        commit.Changed();
        await commit.Durable();

        // New brackets move every liquidation price: wake all owners to re-check and re-register,
        // since an entry that now lies past the true price would fire late. O(N), once per update.
        await Task.WhenAll(Shards(spec).Select(s => s.WakeAll()));
        return Rejected.Ok;
    }

    public Task<MarketSnapshot?> GetSnapshot() => Task.FromResult(Snapshot());

    public Task<IReadOnlyList<FundingEvent>> GetFundingHistory() =>
        Task.FromResult<IReadOnlyList<FundingEvent>>([.. state.State.Funding.History]);

    public Task ReportShard(int shard, ShardCounts counts)
    {
        if (state.State.Spec is { } spec && shard < spec.ShardCount)
        {
            Shards(spec);
            Take(shard, counts);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts every shard without waiting. A start sent to a silo that died and is not yet declared
    /// dead fails: that shard would wait for the next tick to fire what crossed (none comes from a
    /// stopped feed) and its entries would count as none; so each is started again until it has reported.
    /// </summary>
    private void StartShards(MarketSpec spec)
    {
        foreach (var shard in Shards(spec))
        {
            shard.Start().Ignore();
        }

        unheard ??= this.RegisterGrainTimer(StartUnheard, UnheardRetry, UnheardRetry);
    }

    private Task StartUnheard()
    {
        var silent = 0;
        for (var k = 0; k < shards.Length; k++)
        {
            if (!shardCounts[k].Heard)
            {
                shards[k].Start().Ignore();
                silent++;
            }
        }

        if (silent == 0)
        {
            unheard?.Dispose();
            unheard = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>A report sent while a tick was on its way back is newer than the tick's answer: it is kept.</summary>
    private void Take(int shard, ShardCounts counts)
    {
        if (counts.After(shardCounts[shard]))
        {
            shardCounts[shard] = counts;
        }
    }

    public async Task<PriceUpdate> PublishPrice(decimal indexPrice, decimal markPrice)
    {
        if (state.State.Spec is not { } spec)
        {
            return new PriceUpdate(new Rejected(Rejection.SymbolUnknown, $"unknown symbol {Symbol}"), 0);
        }

        if ((OffTick("mark_price", markPrice, spec) ?? OffTick("index_price", indexPrice, spec)) is { } offTick)
        {
            return new PriceUpdate(offTick, 0);
        }

        if (CircuitBreaker.Holds(spec, state.State, markPrice))
        {
            commit.Changed();
            await commit.Durable();
            return new PriceUpdate(Rejected.Ok, 0, Held: true);
        }

        // Funding times this price passes are paid at the mark in force until now, then it starts its own premium.
        var now = time.GetUtcNow();
        var afterStale = IsStale(spec, now); // owners who answered under the stale mark are asked again now
        var funding = state.State.Funding;
        var fundingTimes = funding.Times;
        FundingClock.Advance(funding, spec, state.State.MarkPrice, now);
        (state.State.MarkPrice, state.State.IndexPrice, state.State.MarkTime) = (markPrice, indexPrice, now);
        state.State.AverageBasis += (markPrice - indexPrice - state.State.AverageBasis) / BasisMarks;
        FundingClock.Sample(funding, markPrice, indexPrice);
        commit.Changed();
        EngineMetrics.Ticks.Add(1);

        // Acknowledged only once durable: a price the feed was told about survives a crash. The
        // write runs while the shards fire, so a tick costs the longer of the two, not their sum;
        // ticks interleave, so the ticks that arrive during one write share the next.
        var durable = commit.Durable();
        var firing = Task.WhenAll(Shards(spec).Select(s => s.Fire(markPrice, funding.LongShift, funding.ShortShift, afterStale)));
        await Task.WhenAll(durable, firing);
        var ticks = await firing;
        for (var k = 0; k < ticks.Length; k++)
        {
            Take(k, ticks[k].Counts);
        }

        // A funding time passed: cross accounts settle it now, not at their next touch. The shift
        // keeps this symbol's band early, but one wallet pays every symbol's funding, so the bands
        // of the account's other symbols are exact only once it has settled and re-published them.
        if (funding.Times > fundingTimes)
        {
            await Task.WhenAll(Shards(spec).Select(s => s.WakeBands()));
        }

        // Watchers hear it through the market's stream, without waiting: a slow watcher never slows a tick.
        this.GetStreamProvider(MarkStreams.Provider).GetStream<MarkTick>(StreamId.Create(MarkStreams.Namespace, Symbol))
            .OnNextAsync(new MarkTick(Symbol, markPrice, indexPrice, now)).Ignore();
        return new PriceUpdate(Rejected.Ok, ticks.Sum(t => t.Fired));
    }

    /// <summary>
    /// One named source's index price: the market derives index and mark from every fresh source
    /// (<see cref="GuardedMark"/>) and publishes them as any price — circuit breaker, funding, triggers.
    /// </summary>
    public Task<PriceUpdate> PublishSourcePrice(string source, decimal price)
    {
        if (state.State.Spec is not { } spec)
        {
            return Task.FromResult(new PriceUpdate(new Rejected(Rejection.SymbolUnknown, $"unknown symbol {Symbol}"), 0));
        }

        if (OffTick("price", price, spec) is { } offTick)
        {
            return Task.FromResult(new PriceUpdate(offTick, 0));
        }

        var now = time.GetUtcNow();
        var freshFor = TimeSpan.FromSeconds(spec.StaleAfterSeconds > 0 ? spec.StaleAfterSeconds : DefaultSourceFreshSeconds);
        state.State.Sources[source] = new SourcePrice(price, now);
        var fresh = GuardedMark.Fresh(state.State.Sources, now, freshFor);
        var last = state.State.MarkPrice;
        if (GuardedMark.Index(fresh) is not { } median)
        {
            return Task.FromResult(new PriceUpdate(Rejected.Ok, 0, Held: true)); // no consensus among the sources: nothing moves
        }

        var index = GuardedMark.OnTick(median, spec.TickSize, last);
        var funding = state.State.Funding;
        var toFunding = funding.Next == default ? 0m : Math.Clamp((decimal)(funding.Next - now).Ticks / spec.FundingOrDefault.Interval.Ticks, 0m, 1m);
        var mark = GuardedMark.Mark(index, fresh.Count, FundingClock.Estimate(funding, spec, now), toFunding, state.State.AverageBasis, last, spec.TickSize);
        return PublishPrice(index, mark);
    }

    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // A failed write leaves the stored ETag unknown: reload from storage rather than fail every tick.
            DeactivateOnIdle();
            throw;
        }
    }

    private ITriggerShardGrain[] Shards(MarketSpec spec)
    {
        if (shards.Length != spec.ShardCount)
        {
            (shards, shardCounts) = ([.. GrainFactory.All(spec)], [.. Enumerable.Repeat(ShardCounts.None, spec.ShardCount)]);
        }

        return shards;
    }

    private MarketSnapshot? Snapshot() => state.State.Spec is { } spec
        ? new MarketSnapshot(spec, state.State.MarkPrice, state.State.IndexPrice, state.State.MarkTime, shardCounts.Sum(c => c.Entries), bracketViews ??= Views(spec), shardCounts.Sum(c => c.Backlog),
            FundingClock.View(state.State.Funding, spec, time.GetUtcNow()),
            IsStale(spec, time.GetUtcNow()),
            state.State.HeldMark,
            shardCounts.Count(c => !c.Heard))
        : null;

    /// <summary>No price for longer than the market's staleness window (none: never stale).</summary>
    private bool IsStale(MarketSpec spec, DateTimeOffset now) =>
        spec.StaleAfterSeconds > 0 && state.State.MarkPrice > 0 && now - state.State.MarkTime > TimeSpan.FromSeconds(spec.StaleAfterSeconds);

    private static Rejected? OffTick(string field, decimal price, MarketSpec spec) =>
        price <= 0 || price > Money.Max || !Money.IsMultipleOf(price, spec.TickSize)
            ? new Rejected(Rejection.PriceNotMultipleOfTick, $"{field} {price} must be a positive multiple of the tick size {spec.TickSize}")
            : null;

    private static IReadOnlyList<BracketView> Views(MarketSpec spec) =>
        [.. spec.Brackets().Tiers.Select(b => new BracketView(b.NotionalFloor, b.NotionalCap, b.MaintenanceMarginRate, b.LeverageMax, b.MaintenanceAmount))];
}
