using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Placement;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Positions;

/// <summary>
/// An isolated position. Commands arrive numbered from its account and apply exactly once;
/// liquidation arrives from the market's trigger index and touches nothing but this position,
/// the house and the insurance fund.
/// </summary>
[OnSiloRole(SiloRoles.Trading)]
public sealed partial class IsolatedPositionGrain(
    [PersistentState("position", MarginCluster.Storage)] IPersistentState<IsolatedPositionState> state,
    IFaultInjector faults,
    StorageQueues queues,
    TimeProvider time,
    ILogger<IsolatedPositionGrain> log) : Grain, IIsolatedPositionGrain
{
    private IsolatedPositionState Position => state.State;
    private (string AccountId, LegKey Leg)? key;

    private string AccountId => (key ??= PositionKey.Parse(this.GetPrimaryKeyString())).AccountId;
    private LegKey Leg => (key ??= PositionKey.Parse(this.GetPrimaryKeyString())).Leg;
    private string Symbol => Leg.Symbol;

    /// <summary>What the market's trigger index knows this position's liquidation trigger by.</summary>
    private TriggerKey Trigger => TriggerKey.Liquidation(AccountId, Leg.Side);
    private IMarketGrain Market => GrainFactory.GetGrain<IMarketGrain>(Symbol);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await SendFundTransfer();
        ReportEvents();

        // Re-publish on every activation: heals a registration lost to a crash after the state write.
        // A flat position with nothing to deliver has nothing live in the index; a stale entry there only fires early.
        if (!Position.IsOpen && OutboxEmpty)
        {
            publishedKnown = true;
        }
        else if (await Market.GetSnapshot() is { } market)
        {
            await Publish(Plan(market), market);
            await PublishOrders(market, force: true);
        }
    }

    public async Task<PositionOutcome> Apply(long sequence, PositionCommand command, MarketSnapshot market)
    {
        if (sequence <= Position.LastSequence)
        {
            return sequence == Position.LastSequence && Position.LastOutcome is { } first
                ? first
                : PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} was superseded");
        }

        return (await Change(market, changes => command switch
            {
                OpenCommand open => changes.Open(open),
                CloseCommand { ClosedBy: { } kind } => changes.CloseBy(kind),
                CloseCommand close => changes.Close(close.Quantity),
                TakeProfitStopLossCommand orders => changes.SetTakeProfitStopLoss(orders.TakeProfit, orders.StopLoss),
                AddMarginCommand add => changes.AddMargin(add.Amount, command.WalletAvailable),
                SetLeverageCommand set => changes.SetLeverage(set.Leverage, command.WalletAvailable),
                RemoveMarginCommand remove => changes.RemoveMargin(remove.Amount),
                DeleverageCommand deleverage => Deleverage(changes, deleverage.Order),
                _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown position command"),
            }, sequence))!;
    }

    /// <summary>What it gives up leaves as a fund transfer, recorded with the state write and delivered through the outbox.</summary>
    private PositionOutcome Deleverage(PositionChanges changes, DeleverageOrder order)
    {
        if (Position.PendingContribution is not null)
        {
            return PositionOutcome.Refused(Rejection.NothingToDeleverage, "what this position gave up last is still on its way to the fund");
        }

        var (outcome, transfer) = changes.Deleverage(order);
        Position.PendingContribution = transfer;
        return outcome;
    }

    public async Task<PositionOutcome> Settle(long sequence)
    {
        if (sequence > Position.LastSequence)
        {
            (Position.LastSequence, Position.LastOutcome) = (sequence, PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} never arrived"));
            await state.WriteStateAsync();
        }

        return sequence == Position.LastSequence && Position.LastOutcome is { } outcome
            ? outcome
            : PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} was superseded");
    }

    /// <summary>A view is a touch: funding owed is settled first (a write at most once per funding time).</summary>
    public async Task<PositionView?> Get(MarketSnapshot market)
    {
        if (Position.IsOpen && market.HasMark)
        {
            await Change(market, _ => null, sequence: null);
        }

        return Position.IsOpen ? Position.View(Leg, market.MarkPrice, market.Spec.Brackets(), market.Spec.TakerFeeRate) : null;
    }

    public async Task OnTrigger(TriggerKind woken)
    {
        faults.At(FaultPoints.TriggerUnanswered, this.GetPrimaryKeyString());

        // The grain is the truth, checked against the mark of now, not of the firing tick: an
        // entry that fired early only re-registers, and one re-registered behind the mark fires again.
        if (await Market.GetSnapshot() is { HasMark: true } market)
        {
            await Change(market, _ => null, sequence: null, woken);

            // Liquidation first (the grain decides against the mark — equity at or below
            // maintenance liquidates, whatever stop lies beyond); a position still open whose order the
            // mark crosses is closed by its account, as any close: one-way, since the account calls back.
            if (Position.IsOpen && TakeProfitStopLoss.Crossed(Position.Side, Position.TakeProfit, Position.StopLoss, market.MarkPrice) is { } kind)
            {
                GrainFactory.GetGrain<IAccountGrain>(AccountId).CloseBy(Leg, kind, Position.LastSequence).Ignore();
            }
        }
    }

    /// <summary>The audit's figures, funding owed settled first: the audit counts settled money only.</summary>
    public async Task<PositionLedger> GetLedger()
    {
        if (Position.IsOpen && await Market.GetSnapshot() is { HasMark: true } market)
        {
            await Change(market, _ => null, sequence: null);
        }

        FundTransfer[] inFlight = [.. new[] { Position.PendingFundTransfer, Position.PendingContribution }.OfType<FundTransfer>()];
        return new PositionLedger(Position.IsolatedMargin, Position.HouseLeg, inFlight.Sum(t => t.Amount), [.. inFlight.Select(t => t.Id)],
            [.. Position.UnreportedEvents.Where(e => e.Transfer is not null)]);
    }

    /// <summary>
    /// Liquidates first if the mark demands it, then applies <paramref name="apply"/> (nothing for
    /// a trigger's wake-up); writes the state once and publishes the new trigger in the order that
    /// keeps it early, never late. Woken by a trigger of kind <paramref name="woken"/>, it answers
    /// that entry whatever this activation published before (<see cref="PublishedOrders"/>).
    /// </summary>
    private async Task<PositionOutcome?> Change(MarketSnapshot market, Func<PositionChanges, PositionOutcome?> apply, long? sequence, TriggerKind? woken = null)
    {
        var forcePublish = woken is not null;
        TriggerEntry? toldBeforeWrite = null;
        try
        {
            var changes = new PositionChanges(Position, market, Leg);
            var funding = SettleFunding(changes, market);
            var steps = StepDown(changes, market);
            PositionEvent? liquidation = changes.IsLiquidatable ? Liquidate(changes, market) : null;
            var outcome = liquidation is null
                ? apply(changes)
                : PositionOutcome.Refused(Rejection.PositionLiquidated, $"the position was liquidated at mark {market.MarkPrice}");
            if (sequence is { } s)
            {
                outcome = WithUnreported(outcome!);
                (Position.LastSequence, Position.LastOutcome) = (s, outcome);
            }

            var next = Plan(market);
            var writes = liquidation is not null || sequence is not null || funding is not null || steps > 0;
            if (writes)
            {
                Position.RowTriggers = RowTriggers(next, market.Spec);
            }

            // Published before the write, its row still unwritten, and again once it is: a shard that
            // reloaded in between read the row before it.
            var early = publishedKnown && next is not null && next != published && TriggerPlan.FiresNoLater(next, published);
            if (early)
            {
                await Publish(next, market, written: false);
                toldBeforeWrite = writes ? next : null;
            }

            if (writes)
            {
                faults.At(FaultPoints.PositionUnwritten, this.GetPrimaryKeyString());
                await state.WriteStateAsync();
            }

            if (toldBeforeWrite is not null || (!early && (forcePublish || !publishedKnown || next != published)))
            {
                await Publish(next, market, retold: toldBeforeWrite is not null);
            }

            await PublishOrders(market, forcePublish, woken);

            // A command's outcome carries its events to the booking when none waits for a transfer: no report of their own.
            var carried = sequence is not null && Position.UnreportedEvents.All(e => e.Transfer is null);
            if (liquidation is not null || (forcePublish && !OutboxEmpty) || Position.PendingContribution is not null)
            {
                await DeliverOutbox(market);
            }
            else if ((funding is not null || steps > 0) && !carried)
            {
                ReportEvents();
            }

            return outcome;
        }
        catch
        {
            // The in-memory state may hold an unwritten change: reload it from storage.
            DeactivateOnIdle();

            // A write that failed may still have landed: a shard that reloaded meanwhile must hold the sooner entry told before it.
            if (toldBeforeWrite is { } told)
            {
                try
                {
                    await Publish(told, market, written: false, retold: true);
                }
                catch (Exception e)
                {
                    log.LogDebug(e, "The sooner entry of {Position} not told again after its failed write", this.GetPrimaryKeyString());
                }
            }

            throw;
        }
    }

    /// <summary>
    /// A command's outcome carries the events not yet acknowledged, up to the first with a transfer
    /// (which its fund must hold before it is journaled): its booking journals them in the same write.
    /// </summary>
    private PositionOutcome WithUnreported(PositionOutcome outcome) =>
        Position.UnreportedEvents.TakeWhile(e => e.Transfer is null).ToList() is { Count: > 0 } carried ? outcome with { Unreported = carried } : outcome;

    /// <summary>Settles funding first, whatever touched the position (command, view, trigger): a payment becomes a numbered event for the journal.</summary>
    private PositionEvent? SettleFunding(PositionChanges changes, MarketSnapshot market)
    {
        var (side, quantity) = (Position.Side, Position.Quantity);
        var paid = changes.SettleFunding();
        if (paid == 0m)
        {
            return null;
        }

        var settled = new PositionEvent(Symbol, side, quantity, market.MarkPrice, paid, 0m, time.GetUtcNow(), ++Position.Events, JournalKind.Funding, Leg.Side);
        Position.UnreportedEvents.Add(settled);
        return settled;
    }

    /// <summary>A position at maintenance above the first bracket steps down first; each step is a numbered event for the journal.</summary>
    private int StepDown(PositionChanges changes, MarketSnapshot market)
    {
        var side = Position.Side;
        var steps = changes.StepDown();
        foreach (var (quantity, loss) in steps)
        {
            Position.UnreportedEvents.Add(new PositionEvent(Symbol, side, quantity, market.MarkPrice, loss, 0m, time.GetUtcNow(), ++Position.Events, JournalKind.PartialLiquidation, Leg.Side));
            EngineMetrics.Liquidations.Add(1, new KeyValuePair<string, object?>("mode", "partial"));
        }

        return steps.Count;
    }

    private PositionEvent Liquidate(PositionChanges changes, MarketSnapshot market)
    {
        var side = Position.Side;
        // The transfer rides on the report, written with this state in the one write a liquidation costs here.
        var (transfer, quantity, marginLost) = changes.Liquidate($"{this.GetPrimaryKeyString()}#{++Position.Events}");
        var report = new PositionEvent(Symbol, side, quantity, market.MarkPrice, marginLost, transfer.Amount, time.GetUtcNow(), Position.Events, LegSide: Leg.Side, Transfer: transfer);
        Position.UnreportedEvents.Add(report);
        EngineMetrics.Liquidations.Add(1, new KeyValuePair<string, object?>("mode", "isolated"));
        EngineMetrics.LiquidationLatency.Record((report.Time - market.MarkTime).TotalMilliseconds);
        return report;
    }
}
