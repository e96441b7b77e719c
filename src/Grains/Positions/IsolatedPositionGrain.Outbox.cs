using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Positions;

/// <summary>
/// The position's outbox: what a liquidation or auto-deleveraging owes others is recorded in the
/// state first and delivered from here, again and again until acknowledged; the trigger index holds
/// a durable wake-up meanwhile. A liquidation owes one report, to its account, carrying its fund
/// transfer: the account applies the transfer (once by id) before journaling the report, so one
/// acknowledgement answers both and the position writes nothing more for either. What
/// auto-deleveraging took goes to the fund from here, and is recorded done here.
/// </summary>
public sealed partial class IsolatedPositionGrain
{
    private IGrainTimer? outboxTimer;
    private OutboxRetry? retry;

    /// <summary>A liquidation's fund transfer or report still to deliver.</summary>
    private bool OutboxEmpty => Position.PendingFundTransfer is null && Position.PendingContribution is null && Position.UnreportedEvents.Count == 0;

    public async Task AcknowledgeEvents(int number)
    {
        // Persisted with the next write; a report that reappears after a restart is journaled once anyway.
        // A booking acknowledges before it is written: a crash replays it from the outcome stored here.
        Position.UnreportedEvents.RemoveAll(r => r.Number <= number);
        await RemoveOutboxTrigger();
    }

    /// <summary>
    /// A liquidation not delivered when its <see cref="OutboxRetry"/> is due: replace the kept trigger
    /// by one every mark crosses (a durable wake-up even if the mark recovers or a silo dies) and try
    /// again. The happy path never gets here, so it costs no trigger row write.
    /// </summary>
    private async Task RetryOutbox()
    {
        if (OutboxEmpty)
        {
            outboxTimer?.Dispose();
            outboxTimer = null;
            return;
        }

        if (retry is { Due: false })
        {
            return;
        }

        if (await Market.GetSnapshot() is { } market)
        {
            if (!Position.IsOpen && published != DurableWakeUp.For(Trigger))
            {
                await Publish(DurableWakeUp.For(Trigger), market);
            }

            await DeliverOutbox(market);
        }
    }

    /// <summary>
    /// Reports the liquidations with their fund transfers (one-way), and delivers what
    /// auto-deleveraging took. A failure here loses nothing: all is durable in the state and the
    /// outbox trigger wakes this position again.
    /// </summary>
    private async Task DeliverOutbox(MarketSnapshot market)
    {
        outboxTimer ??= this.RegisterGrainTimer(RetryOutbox, new GrainTimerCreationOptions(OutboxRetry.After, OutboxRetry.After) { KeepAlive = true });
        (retry ??= new OutboxRetry(time, () => queues.Wait)).Tried();
        faults.At(FaultPoints.LiquidationUnreported, this.GetPrimaryKeyString());
        ReportEvents();
        try
        {
            await SendFundTransfer();
        }
        catch (Exception e)
        {
            // The transfer is durable in the state: make the wake-up durable too, at once, so neither
            // a crash nor a recovering mark can strand it; the timer retries meanwhile.
            log.LogDebug(e, "Fund transfer of {Position} not delivered yet; retried by the outbox timer", this.GetPrimaryKeyString());
            if (!Position.IsOpen && published != DurableWakeUp.For(Trigger))
            {
                await Publish(DurableWakeUp.For(Trigger), market);
            }

            return;
        }

        await RemoveOutboxTrigger(market);
    }

    /// <summary>Once everything is delivered, the flat position's outbox entry leaves the index.</summary>
    private async Task RemoveOutboxTrigger(MarketSnapshot? market = null)
    {
        if (!Position.IsOpen && OutboxEmpty && published is not null && (market ?? await Market.GetSnapshot()) is { } current)
        {
            await Publish(null, current);
        }
    }

    /// <summary>
    /// One-way, so a position never waits on its account (which may be waiting on it). Sent again
    /// after every activation until acknowledged: the account journals each number once and applies
    /// each transfer once, so a report that arrives twice moves no money twice.
    /// </summary>
    private void ReportEvents()
    {
        if (Position.UnreportedEvents.Count > 0)
        {
            GrainFactory.GetGrain<IAccountGrain>(AccountId).OnPositionEvents([.. Position.UnreportedEvents]).Ignore();
        }
    }

    /// <summary>
    /// Delivers what auto-deleveraging took, and a liquidation's transfer in state written before
    /// reports carried it (idempotent by id), each recorded done by a write of its own.
    /// </summary>
    private async Task SendFundTransfer()
    {
        if (Position.PendingContribution is { } contribution)
        {
            await FundTransfers.Deliver(GrainFactory, faults, contribution, () => Done(() => Position.PendingContribution = null));
        }

        if (Position.PendingFundTransfer is { } transfer)
        {
            await FundTransfers.Deliver(GrainFactory, faults, transfer, () => Done(() => Position.PendingFundTransfer = null));
        }

        Task Done(Action clear)
        {
            clear();
            return state.WriteStateAsync();
        }
    }
}
