using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Storage;

namespace MarginOrleans.Positions;

/// <summary>
/// An isolated position. Commands arrive numbered from its account and apply exactly once;
/// liquidation arrives from the market's trigger index and touches nothing but this position,
/// the house and the insurance fund.
/// </summary>
public sealed class IsolatedPositionGrain(
    [PersistentState("position", "margin")] IPersistentState<IsolatedPositionState> state,
    TriggerStore triggers,
    IFaultInjector faults,
    TimeProvider time) : Grain, IIsolatedPositionGrain
{
    /// <summary>The trigger this activation has published; unknown (null) until the first publish.</summary>
    private TriggerEntry? published;
    private bool publishedKnown;

    private IsolatedPositionState P => state.State;
    private (string AccountId, string Symbol)? key;

    private string AccountId => (key ??= PositionKey.Parse(this.GetPrimaryKeyString())).AccountId;
    private string Symbol => (key ??= PositionKey.Parse(this.GetPrimaryKeyString())).Symbol;
    private IMarketGrain Market => GrainFactory.GetGrain<IMarketGrain>(Symbol);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await SendFundTransfer();
        ReportLiquidations();

        // Re-publish on every activation: heals a registration lost to a crash after the state write.
        // A flat position has nothing live in the index; a stale entry there only fires early.
        if (!P.IsOpen)
        {
            publishedKnown = true;
        }
        else if (await Market.GetSnapshot() is { } market)
        {
            await Publish(TriggerPlan.For(P, AccountId, market.Spec.Brackets()));
        }
    }

    public async Task<PositionOutcome> Apply(long sequence, PositionCommand command, MarketSnapshot market)
    {
        if (sequence <= P.LastSequence)
        {
            return sequence == P.LastSequence && P.LastOutcome is { } first
                ? first
                : PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} was superseded");
        }

        return (await Change(market, changes => command.Kind switch
            {
                PositionCommandKind.Open => changes.Open(command),
                PositionCommandKind.Close => changes.Close(command.Quantity == 0m ? null : command.Quantity),
                PositionCommandKind.AddMargin => changes.AddMargin(command.Amount, command.WalletAvailable),
                PositionCommandKind.SetLeverage => changes.SetLeverage(command.Leverage, command.WalletAvailable),
                _ => changes.RemoveMargin(command.Amount),
            }, sequence))!;
    }

    public async Task<PositionOutcome> Settle(long sequence)
    {
        if (sequence > P.LastSequence)
        {
            (P.LastSequence, P.LastOutcome) = (sequence, PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} never arrived"));
            await state.WriteStateAsync();
        }

        return sequence == P.LastSequence && P.LastOutcome is { } outcome
            ? outcome
            : PositionOutcome.Refused(Rejection.CommandCancelled, $"command {sequence} was superseded");
    }

    public Task<PositionView?> Get(MarketSnapshot market) =>
        Task.FromResult(P.IsOpen ? P.View(Symbol, market.MarkPrice, market.Spec.Brackets()) : null);

    public async Task OnTrigger()
    {
        // The grain is the truth, checked against the mark of now, not of the firing tick: an
        // entry that fired early only re-registers, and one re-registered behind the mark fires again.
        if (await Market.GetSnapshot() is { HasMark: true } market)
        {
            await Change(market, _ => null, sequence: null, forcePublish: true);
        }
    }

    public Task<PositionLedger> GetLedger() =>
        Task.FromResult(new PositionLedger(P.IsolatedMargin, P.HouseLeg, P.PendingFundTransfer?.Amount ?? 0m));

    /// <summary>
    /// Liquidates first if the mark demands it, then applies <paramref name="apply"/> (nothing for
    /// a trigger's wake-up); writes the state once and publishes the new trigger in the order that
    /// keeps it early, never late.
    /// </summary>
    private async Task<PositionOutcome?> Change(MarketSnapshot market, Func<PositionChanges, PositionOutcome?> apply, long? sequence, bool forcePublish = false)
    {
        try
        {
            var changes = new PositionChanges(P, market);
            LiquidationReport? liquidation = changes.IsLiquidatable ? Liquidate(changes, market) : null;
            var outcome = liquidation is null
                ? apply(changes)
                : PositionOutcome.Refused(Rejection.PositionLiquidated, $"the position was liquidated at mark {market.MarkPrice}");
            if (sequence is { } s)
            {
                (P.LastSequence, P.LastOutcome) = (s, outcome);
            }

            var next = TriggerPlan.For(P, AccountId, market.Spec.Brackets());
            var early = publishedKnown && TriggerPlan.FiresNoLater(next, published) && next is not null;
            if (early)
            {
                await Publish(next);
            }

            if (liquidation is not null || sequence is not null)
            {
                await state.WriteStateAsync();
            }

            if (!early && (forcePublish || !publishedKnown || next != published))
            {
                await Publish(next);
            }

            if (liquidation is not null)
            {
                await SendFundTransfer();
                faults.At(FaultPoints.LiquidationUnreported, this.GetPrimaryKeyString());
                ReportLiquidations();
            }

            return outcome;
        }
        catch
        {
            // The in-memory state may hold an unwritten change: reload it from storage.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task AcknowledgeLiquidation(int number)
    {
        // Persisted with the next write; a report that reappears after a restart is journaled once anyway.
        P.UnreportedLiquidations.RemoveAll(r => r.Number <= number);
        return Task.CompletedTask;
    }

    private LiquidationReport Liquidate(PositionChanges changes, MarketSnapshot market)
    {
        var side = P.Side;
        var (transfer, quantity, marginLost) = changes.Liquidate($"{this.GetPrimaryKeyString()}#{++P.Liquidations}");
        P.PendingFundTransfer = transfer;
        var report = new LiquidationReport(Symbol, side, quantity, market.MarkPrice, marginLost, transfer.Amount, time.GetUtcNow(), P.Liquidations);
        P.UnreportedLiquidations.Add(report);
        return report;
    }

    /// <summary>One-way, so a position never waits on its account (which may be waiting on it).</summary>
    private void ReportLiquidations()
    {
        var account = GrainFactory.GetGrain<IAccountGrain>(AccountId);
        foreach (var report in P.UnreportedLiquidations)
        {
            account.OnPositionLiquidated(report).Ignore();
        }
    }

    /// <summary>Delivers the recorded fund transfer (idempotent by id), then records it done.</summary>
    private async Task SendFundTransfer()
    {
        if (P.PendingFundTransfer is not { } transfer)
        {
            return;
        }

        await FundTransfers.Deliver(GrainFactory, transfer, () =>
        {
            P.PendingFundTransfer = null;
            return state.WriteStateAsync();
        });
    }

    private async Task Publish(TriggerEntry? next)
    {
        if (next is null)
        {
            await triggers.Delete(Symbol, AccountId);
            await Market.RemoveTrigger(AccountId);
        }
        else
        {
            await triggers.Save(Symbol, next);
            await Market.RegisterTrigger(next);
        }

        (published, publishedKnown) = (next, true);
    }
}
