using MarginOrleans.Accounts;
using MarginOrleans.Positions;
using MarginOrleans.Risk;
using MarginOrleans.Storage;

namespace MarginOrleans.Markets;

/// <summary>
/// A market: parameters, mark price and the trigger index. A tick walks only the crossed
/// entries and wakes their owners with one-way calls, so it never waits on a position.
/// </summary>
public sealed class MarketGrain(
    [PersistentState("market", "margin")] IPersistentState<MarketState> state,
    TriggerStore triggers,
    TimeProvider time) : Grain, IMarketGrain
{
    private readonly TriggerIndex index = new();
    private IReadOnlyList<BracketView>? bracketViews;
    private bool markUnwritten;

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The index is rebuilt from its durable rows: every trigger registered before a crash fires after it.
        foreach (var entry in await triggers.Load(Symbol))
        {
            index.Set(entry);
        }

        this.RegisterGrainTimer(WriteMark, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteMark();

    public async Task<Rejected> Create(MarketSpec spec)
    {
        var check = MarketRules.Validate(spec);
        if (!check.IsOk)
        {
            return check;
        }

        if (spec.Symbol != Symbol)
        {
            return new Rejected(Rejection.MarketSpecInvalid, $"symbol {spec.Symbol} is not this market's, {Symbol}");
        }

        if (state.State.Spec is not null)
        {
            return new Rejected(Rejection.MarketExists, $"market {Symbol} already exists");
        }

        (state.State.Spec, bracketViews) = (spec, null);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IMarketDirectoryGrain>("all").Add(Symbol);
        return Rejected.Ok;
    }

    public async Task<Rejected> Update(MarketSpec spec)
    {
        if (state.State.Spec is not { } old)
        {
            return new Rejected(Rejection.SymbolUnknown, $"unknown symbol {Symbol}");
        }

        if (MarketRules.Validate(spec) is { IsOk: false } invalid)
        {
            return invalid;
        }

        if (spec.TickSize != old.TickSize || spec.LotSize != old.LotSize || spec.Symbol != Symbol)
        {
            return new Rejected(Rejection.MarketSpecInvalid, "symbol, tick size and lot size cannot change");
        }

        (state.State.Spec, bracketViews) = (spec, null);
        await state.WriteStateAsync();

        // New brackets move every liquidation price: wake all owners to re-check and re-register,
        // since an entry that now lies past the true price would fire late. O(N), once per update.
        await Wake(index.Owners);
        return Rejected.Ok;
    }

    public Task<MarketSnapshot?> GetSnapshot() => Task.FromResult(Snapshot());

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

        (state.State.MarkPrice, state.State.IndexPrice, state.State.MarkTime) = (markPrice, indexPrice, time.GetUtcNow());
        markUnwritten = true;
        var fired = index.Fire(markPrice, state.State.MarkTime);
        await Wake(fired);
        return new PriceUpdate(Rejected.Ok, fired.Count);
    }

    public Task RegisterTrigger(TriggerEntry entry) =>
        index.Register(entry, state.State.MarkPrice, time.GetUtcNow()) ? Wake([entry.Owner]) : Task.CompletedTask;

    public Task RemoveTrigger(string owner)
    {
        index.Remove(owner);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The mark is written behind, at most a second late: it is not money, a restarted market
    /// takes the feed's next tick, and a tick then costs only the index walk and its wake-ups.
    /// </summary>
    private async Task WriteMark()
    {
        if (markUnwritten)
        {
            markUnwritten = false;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                markUnwritten = true; // the next timer tick tries again
                throw;
            }
        }
    }

    private Task Wake(IEnumerable<string> owners)
    {
        if (state.State.MarkPrice <= 0m)
        {
            return Task.CompletedTask;
        }

        // One-way calls: the market never waits on an owner, so a tick costs O(fired) sends.
        return Task.WhenAll(owners.Select(owner => TriggerOwner.CrossAccount(owner) is { } account
            ? GrainFactory.GetGrain<IAccountGrain>(account).OnCrossBand(Symbol)
            : GrainFactory.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(owner, Symbol)).OnTrigger()));
    }

    private MarketSnapshot? Snapshot() => state.State.Spec is { } spec
        ? new MarketSnapshot(spec, state.State.MarkPrice, state.State.IndexPrice, state.State.MarkTime, index.Count, bracketViews ??= Views(spec))
        : null;

    private static Rejected? OffTick(string field, decimal price, MarketSpec spec) =>
        price <= 0 || price > Money.Max || !Money.IsMultipleOf(price, spec.TickSize)
            ? new Rejected(Rejection.PriceNotMultipleOfTick, $"{field} {price} must be a positive multiple of the tick size {spec.TickSize}")
            : null;

    private static IReadOnlyList<BracketView> Views(MarketSpec spec) =>
        [.. spec.Brackets().Tiers.Select(b => new BracketView(b.NotionalFloor, b.NotionalCap, b.MaintenanceMarginRate, b.LeverageMax, b.MaintenanceAmount))];
}
