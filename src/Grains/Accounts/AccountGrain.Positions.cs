using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// Position commands. Isolated ones are exactly-once transfers: the account records
/// the numbered command durably, the position applies it once and books its side, then the
/// account books the wallet side. A crash anywhere is settled by asking the position for the
/// command's outcome, which also cancels a command that never arrived. Cross ones stay inside
/// this grain.
/// </summary>
public sealed partial class AccountGrain
{
    private const int DefaultLeverage = 20;

    public async Task<PositionPreview> PreviewPosition(OpenOrder order)
    {
        var market = await Market(order.Symbol).GetSnapshot();
        if (market is null || !market.HasMark)
        {
            return Preview(market is null ? UnknownSymbol(order.Symbol) : NoMark(order.Symbol));
        }

        var leverage = LeverageFor(order, market.Spec);
        var brackets = market.Spec.Brackets();
        var notional = order.Quantity * market.MarkPrice;
        var check = OrderChecks.FirstFailure(CheckOrder(order, leverage, market.Spec), brackets.CheckOpen(notional, leverage));
        if (!check.IsOk)
        {
            return Preview(check);
        }

        var margin = IsolatedMath.InitialMargin(order.Quantity, market.MarkPrice, leverage);
        var sign = order.Side.Sign();
        var liquidation = IsolatedMath.LiquidationPrice(sign, order.Quantity, market.MarkPrice, margin, brackets);
        return new PositionPreview(Rejected.Ok, market.MarkPrice, notional, leverage, margin,
            Money.Pay(brackets.MaintenanceMargin(notional)), IsolatedMath.Fee(notional, market.Spec.TakerFeeRate),
            Money.Price(liquidation),
            Money.Price(IsolatedMath.BankruptcyPrice(sign, order.Quantity, market.MarkPrice, margin)));
    }

    public Task<CommandResult> OpenPosition(string requestId, OpenOrder order) => Account.ModeOf(order.Symbol) == MarginMode.Cross
        ? RunCross(requestId, order.Leg, order.Quantity,
            spec => CheckOrder(order, LeverageFor(order, spec), spec),
            book => book.Open(order, LeverageFor(order, book.Spec(order.Symbol))))
        : RunPosition(requestId, order.Leg, order.Quantity,
            spec => CheckOrder(order, LeverageFor(order, spec), spec),
            spec => new OpenCommand(order.Side, order.Quantity, LeverageFor(order, spec), order.LimitPrice, order.TakeProfit, order.StopLoss, order.OnlyReduces));

    public Task<CommandResult> ClosePosition(string requestId, LegKey leg, decimal? quantity)
    {
        Rejected Check(MarketSpec spec) => OrderChecks.FirstFailure(Fits(leg), quantity is { } q ? OrderChecks.Quantity(q, spec) : Rejected.Ok);
        return Account.ModeOf(leg.Symbol) == MarginMode.Cross
            ? RunCross(requestId, leg, quantity ?? 0m, Check, book => book.Close(leg, quantity))
            : RunPosition(requestId, leg, quantity ?? 0m, Check,
                _ => new CloseCommand(quantity));
    }

    public Task<CommandResult> SetTakeProfitStopLoss(string requestId, LegKey leg, decimal? takeProfit, decimal? stopLoss) =>
        Account.ModeOf(leg.Symbol) == MarginMode.Cross
            ? RunCross(requestId, leg, 0m, _ => Fits(leg), book => book.SetTakeProfitStopLoss(leg, takeProfit, stopLoss))
            : RunPosition(requestId, leg, 0m, _ => Fits(leg),
                _ => new TakeProfitStopLossCommand(takeProfit, stopLoss));

    public Task CloseBy(LegKey leg, TriggerKind kind, long positionSequence) =>
        RunPosition(TriggeredRequestId(leg, kind, positionSequence), leg, 0m, _ => Rejected.Ok,
            _ => new CloseCommand(null, kind));

    public async Task<CommandResult> Deleverage(string requestId, LegKey leg, DeleverageOrder order)
    {
        var result = Account.ModeOf(leg.Symbol) == MarginMode.Cross
            ? await RunCross(requestId, leg, 0m, _ => Rejected.Ok, book => book.Deleverage(leg, order))
            : await RunPosition(requestId, leg, 0m, _ => Rejected.Ok,
                _ => new DeleverageCommand(order));

        // Only after the command's state write (a failed one throws and reloads): a cross position's
        // transfer leaves now, and a repeated order re-sends one a crash left undelivered.
        await SendFundTransfers();
        return result;
    }

    /// <summary>The request id of a close an order started: reserved (the gateway refuses ids with this prefix).</summary>
    private static string TriggeredRequestId(LegKey leg, TriggerKind kind, long sequence) =>
        $"{EngineRequestIds.Prefix}{kind}:{leg}:{sequence}";

    public Task<CommandResult> AddMargin(string requestId, LegKey leg, decimal amount) =>
        RunPosition(requestId, leg, 0m, _ => OrderChecks.FirstFailure(Fits(leg), IsolatedAmount(leg.Symbol, amount)),
            _ => new AddMarginCommand(amount));

    public Task<CommandResult> RemoveMargin(string requestId, LegKey leg, decimal amount) =>
        RunPosition(requestId, leg, 0m, _ => OrderChecks.FirstFailure(Fits(leg), IsolatedAmount(leg.Symbol, amount)),
            _ => new RemoveMarginCommand(amount));

    /// <summary>The shared start of every market command: request id, account, pending settlement, market, checks.</summary>
    private Task<CommandResult> RunWithMarket(string requestId, string symbol, Func<MarketSpec, Rejected> check, Func<MarketSnapshot, Task<CommandResult>> run) =>
        Once(requestId, async () =>
        {
            if (await Earlier(requestId) is { } first)
            {
                return first;
            }

            if (!Account.Created)
            {
                return Refused(new Rejected(Rejection.AccountUnknown, $"unknown account {Id}"));
            }

            await SettlePending();
            if (Account.Results.TryGetValue(requestId, out var settled))
            {
                return settled; // The command was this very request, completed by the settlement.
            }

            var market = await Market(symbol).GetSnapshot();
            if (market is null || !market.HasMark)
            {
                return Refused(market is null ? UnknownSymbol(symbol) : NoMark(symbol));
            }

            return check(market.Spec) is { IsOk: false } bad ? await Answer(requestId, Refused(bad)) : await run(market);
        });

    private Task<CommandResult> RunPosition(string requestId, LegKey leg, decimal quantity,
        Func<MarketSpec, Rejected> check, Func<MarketSpec, PositionCommand> command) =>
        RunWithMarket(requestId, leg.Symbol, check, async market =>
        {
            var walletAvailable = (await Cross()).MaxWithdrawal;
            var pending = new PendingCommand(++Account.CommandSequence, leg.ToString(), requestId, quantity, fingerprint);

            // A leg the account never held has no position row: its grain need not read one.
            var neverHeld = !Account.IsolatedLegs.Contains(pending.Leg);
            if (neverHeld)
            {
                Account.IsolatedLegs.Add(pending.Leg);
            }

            try
            {
                pending = await WriteIntent(pending);
                faults.At(FaultPoints.IntentRecorded, Id);
                var position = Position(leg);
                var apply = () => position.Apply(pending.Sequence, command(market.Spec) with { WalletAvailable = walletAvailable }, market);
                var outcome = neverHeld ? await AssumedNew.Call(position, apply) : await apply();
                faults.At(FaultPoints.PositionApplied, Id);
                return await Complete(pending, outcome, fresh: true);
            }
            catch
            {
                // Whatever reached storage is the truth: reactivation reloads it and settles the pending command.
                Discard();
                throw;
            }
        });

    private async Task SettlePending()
    {
        if (Account.Pending is { } pending)
        {
            await Complete(pending, await Position(pending.Key).Settle(pending.Sequence));
        }
    }

    /// <summary>
    /// Books the wallet side of an applied position command: the opposite of what the position booked,
    /// after the events its outcome carries (a funding payment it settled first), acknowledged once booked.
    /// A <paramref name="fresh"/> success's booking is written with the account's next write (see AccountGrain.WriteBehind.cs);
    /// a settlement's, and a refusal's (it may free its id's row, which a retry would claim again), now.
    /// </summary>
    private async Task<CommandResult> Complete(PendingCommand pending, PositionOutcome outcome, bool fresh = false)
    {
        var journaledEvents = JournalCarried(outcome.Unreported);
        Account.WalletBalance += outcome.WalletDelta;
        if (outcome.Result.IsOk)
        {
            var quantity = outcome.Quantity != 0m ? outcome.Quantity
                : pending.Quantity != 0m || outcome.Position is null ? pending.Quantity : outcome.Position.Quantity;
            Rows.Add(outcome.JournaledAs(), pending.Key.Symbol, outcome.Event == JournalKind.LeverageSet ? outcome.Position!.Quantity : quantity, outcome.FillPrice,
                outcome.WalletDelta, outcome.RealizedPnl, outcome.Fee, pending.RequestId, leverage: outcome.Event == JournalKind.LeverageSet ? outcome.Position!.Leverage : null,
                legSide: pending.Key.Side);
            RememberLeverage(pending.Key.Symbol, outcome);
            if (outcome.Position is null)
            {
                EndStaleOrders([pending.Key]); // the leg closed: orders that only reduce it go with it
            }
        }

        var result = new CommandResult(outcome.Result, Account.WalletBalance, outcome.RealizedPnl, outcome.Fee, outcome.FillPrice, outcome.Position, outcome.Note);
        Account.Pending = null;
        var kept = Requests.Keep(pending.RequestId, result, pending.Fingerprint);
        if (!kept && pending.Claimed) // settled later, perhaps during another call
        {
            Account.UnwrittenRequests.Add(RequestRecord.Release(pending.RequestId)); // a refusal that keeps no id frees it
        }

        await Commit(write: !(fresh && kept && outcome.Result.IsOk));
        if (journaledEvents > 0)
        {
            Position(pending.Key).AcknowledgeEvents(journaledEvents).Ignore();
        }

        return result;
    }

    /// <summary>
    /// The leverage an open position holds becomes the symbol's setting: an order without one
    /// then adds at the position's leverage, never at a default the trader did not choose.
    /// </summary>
    private void RememberLeverage(string symbol, PositionOutcome outcome)
    {
        if (outcome.Position is { } position && outcome.Event is JournalKind.LeverageSet or JournalKind.PositionOpened
            or JournalKind.PositionIncreased or JournalKind.PositionFlipped)
        {
            Account.Leverage[symbol] = position.Leverage;
        }
    }

    private int LeverageFor(OpenOrder order, MarketSpec spec) =>
        order.Leverage ?? (Account.Leverage.TryGetValue(order.Symbol, out var set) ? set : Math.Min(DefaultLeverage, spec.LeverageMax));

    private Rejected CheckOrder(OpenOrder order, int leverage, MarketSpec spec) => OrderChecks.FirstFailure(
        Fits(order.Leg),
        PositionModes.ReduceOnly(Account.PositionMode, order.ReduceOnly),
        OrderChecks.Quantity(order.Quantity, spec),
        OrderChecks.Price(order.LimitPrice, spec),
        OrderChecks.Leverage(leverage, spec),
        RiskPolicy.Allows(Account.LeverageCap, leverage));

    /// <summary>A trader's command names a leg of the account's position mode (the engine's own act on legs that exist).</summary>
    private Rejected Fits(LegKey leg) => PositionModes.Fits(Account.PositionMode, leg);

    private Rejected IsolatedAmount(string symbol, decimal amount) => Account.ModeOf(symbol) == MarginMode.Cross
        ? new Rejected(Rejection.NotIsolated, $"{symbol} is in cross margin mode: its positions have no margin of their own")
        : OrderChecks.Amount(amount);

    private static PositionPreview Preview(Rejected why) => new(why, 0m, 0m, 0, 0m, 0m, 0m, null, 0m);
}
