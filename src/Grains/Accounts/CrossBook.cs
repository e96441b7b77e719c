using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// The account's cross positions marked to <paramref name="markets"/>, and the money of every
/// cross change. Realized PnL and fees settle between the wallet and the account's house leg;
/// each change validates first and mutates only when it accepts.
/// </summary>
public sealed class CrossBook(AccountState a, IReadOnlyDictionary<string, MarketSnapshot> markets)
{
    public IReadOnlyList<(string Symbol, CrossLeg Leg)> Legs =>
        [.. a.CrossPositions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Leg(p.Key, p.Value)))];

    private IReadOnlyList<CrossLeg> Marked => [.. Legs.Select(l => l.Leg)];

    public MarketSpec Spec(string symbol) => markets[symbol].Spec;

    public bool IsLiquidatable => CrossMath.IsLiquidatable(a.WalletBalance, Marked);

    public decimal Available => CrossMath.Available(a.WalletBalance, Marked);

    /// <summary>
    /// What may leave the wallet, withdrawn or moved into an isolated position: reference B8's
    /// max withdrawal and max addable are the same figure with no open orders.
    /// </summary>
    public decimal MaxWithdrawal => a.CrossPositions.Count == 0 ? a.WalletBalance : CrossMath.MaxWithdrawal(a.WalletBalance, Marked);

    public PositionOutcome Open(OpenOrder order, int leverage)
    {
        var market = markets[order.Symbol];
        var mark = market.MarkPrice;
        if (order.LimitPrice is { } limit && (order.Side == PositionSide.Long ? mark > limit : mark < limit))
        {
            return PositionOutcome.Refused(Rejection.LimitPriceNotMet, $"mark {mark} is beyond the limit price {limit}");
        }

        var held = a.CrossPositions.GetValueOrDefault(order.Symbol);
        if (held is not null && held.Side != order.Side)
        {
            return order.Quantity <= held.Quantity ? Close(order.Symbol, order.Quantity) : Flip(order, leverage, held);
        }

        if ((order.TakeProfit ?? order.StopLoss) is not null
            && TakeProfitStopLoss.Check(order.Side, mark, order.TakeProfit, order.StopLoss, market.Spec) is { IsOk: false } orders)
        {
            return PositionOutcome.Refused(orders.Reason, orders.Detail);
        }

        var brackets = market.Spec.Brackets();
        var notional = ((held?.Quantity ?? 0m) + order.Quantity) * mark;
        var margin = order.Quantity * mark / leverage;
        var fee = IsolatedMath.Fee(order.Quantity * mark, market.Spec.TakerFeeRate);
        var check = brackets.CheckOpen(notional, leverage);
        if (check.IsOk && margin + fee > Available)
        {
            check = new Rejected(Rejection.InsufficientBalance, $"needs {Money.Pay(margin) + fee} (margin {Money.Pay(margin)} + fee {fee}); available {Money.Receive(Available)}");
        }

        if (check.IsOk && held is not null && held.Leverage != leverage)
        {
            check = new Rejected(Rejection.LeverageDiffersFromPosition, $"the open position uses {held.Leverage}x; set leverage before adding at {leverage}x");
        }

        if (!check.IsOk)
        {
            return PositionOutcome.Refused(check.Reason, check.Detail);
        }

        var position = held ?? (a.CrossPositions[order.Symbol] = new CrossPosition { Side = order.Side, Leverage = leverage, Funding = market.Funding.Point });
        var quantity = position.Quantity + order.Quantity;
        position.EntryPrice = held is null ? mark : Money.Price((held.Quantity * held.EntryPrice + order.Quantity * mark) / quantity);
        position.Quantity = quantity;
        (position.TakeProfit, position.StopLoss) = (order.TakeProfit ?? position.TakeProfit, order.StopLoss ?? position.StopLoss);
        return Book(order.Symbol, held is null ? JournalKind.PositionOpened : JournalKind.PositionIncreased, 0m, fee);
    }

    public PositionOutcome Close(string symbol, decimal? requested, JournalKind closedAs = JournalKind.PositionClosed)
    {
        if (!a.CrossPositions.TryGetValue(symbol, out var held))
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open cross position on {symbol}");
        }

        var quantity = requested ?? held.Quantity;
        if (quantity > held.Quantity)
        {
            return PositionOutcome.Refused(Rejection.CloseExceedsPosition, $"quantity {quantity} exceeds the position's {held.Quantity}");
        }

        var mark = markets[symbol].MarkPrice;
        var realized = Money.Receive(IsolatedMath.UnrealizedPnl(held.Side.Sign(), quantity, held.EntryPrice, mark));
        var fee = IsolatedMath.Fee(quantity * mark, markets[symbol].Spec.TakerFeeRate);
        held.Quantity -= quantity;
        if (held.Quantity == 0m)
        {
            a.CrossPositions.Remove(symbol);
        }

        return Book(symbol, held.Quantity == 0m ? closedAs : JournalKind.PositionReduced, realized, fee);
    }

    /// <summary>Sets (or with null removes) both orders of the cross position, validated against its side and the mark.</summary>
    public PositionOutcome SetTakeProfitStopLoss(string symbol, decimal? takeProfit, decimal? stopLoss)
    {
        if (!a.CrossPositions.TryGetValue(symbol, out var held))
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open cross position on {symbol}");
        }

        if (TakeProfitStopLoss.Check(held.Side, markets[symbol].MarkPrice, takeProfit, stopLoss, markets[symbol].Spec) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        (held.TakeProfit, held.StopLoss) = (takeProfit, stopLoss);
        return Book(symbol, JournalKind.TakeProfitStopLossSet, 0m, 0m);
    }

    /// <summary>A take-profit or stop-loss that fired closes the whole cross position at the mark, if the mark still crosses it.</summary>
    public PositionOutcome CloseBy(string symbol, TriggerKind kind) =>
        a.CrossPositions.TryGetValue(symbol, out var held) && TakeProfitStopLoss.Crossed(held.Side, held.TakeProfit, held.StopLoss, markets[symbol].MarkPrice) == kind
            ? Close(symbol, null, TakeProfitStopLoss.Journaled(kind))
            : PositionOutcome.Refused(Rejection.TriggerNotCrossed, $"no cross position on {symbol} whose {kind} the mark crosses");

    /// <summary>
    /// Pays or receives, from and into the wallet against the house, the funding every cross
    /// position owes since it last settled (the same lazy index as isolated positions). Returns
    /// each payment (negative: received) for the journal.
    /// </summary>
    public List<(string Symbol, CrossPosition Position, decimal Paid)> SettleFunding()
    {
        var settled = new List<(string, CrossPosition, decimal)>();
        foreach (var (symbol, position) in a.CrossPositions)
        {
            var now = markets[symbol].Funding.Point;
            var paid = position.Funding is { } last ? FundingMath.Owed(position.Side.Sign(), position.Quantity, now.Cumulative, last.Cumulative) : 0m;
            (a.WalletBalance, a.HouseLeg, position.Funding) = (a.WalletBalance - paid, a.HouseLeg + paid, now);
            if (paid != 0m)
            {
                settled.Add((symbol, position, paid));
            }
        }

        return settled;
    }

    /// <summary>
    /// Sets the symbol's leverage; on an open position the bracket holding its notional caps it
    /// and the new IM must leave the available balance non-negative.
    /// </summary>
    public PositionOutcome SetLeverage(string symbol, int leverage)
    {
        var mark = markets[symbol].MarkPrice;
        if (a.CrossPositions.TryGetValue(symbol, out var held))
        {
            var notional = held.Quantity * mark;
            if (markets[symbol].Spec.Brackets().CheckLeverage(notional, leverage) is { IsOk: false } capped)
            {
                return PositionOutcome.Refused(capped.Reason, capped.Detail);
            }

            var available = Available + notional / held.Leverage - notional / leverage;
            if (available < 0m)
            {
                return PositionOutcome.Refused(Rejection.InsufficientBalance, $"{leverage}x would leave the available balance at {Money.Receive(available)}");
            }

            held.Leverage = leverage;
        }

        a.Leverage[symbol] = leverage;
        return new PositionOutcome(Rejected.Ok, 0m, 0m, 0m, mark, View(symbol), JournalKind.LeverageSet);
    }

    /// <summary>Closes everything at the marks; the remaining margin balance (or its deficit) is the fund's.</summary>
    public (FundTransfer Transfer, IReadOnlyList<(string Symbol, CrossPosition Position, decimal Realized)> Closed) Liquidate(string transferId)
    {
        var walletBefore = a.WalletBalance;
        var closed = Legs.Select(l => (l.Symbol, a.CrossPositions[l.Symbol], Money.Receive(l.Leg.UnrealizedPnl))).ToList();
        var realized = closed.Sum(c => c.Item3);
        var transfer = new FundTransfer(transferId, walletBefore + realized);
        a.HouseLeg -= realized;
        a.WalletBalance = 0m;
        a.CrossPositions.Clear();
        Invariant.Assert(-realized + transfer.Amount == walletBefore, "cross liquidation movements sum to the wallet balance");
        return (transfer, closed);
    }

    /// <summary>The open cross position of <paramref name="symbol"/> with the estimated prices of reference B5.</summary>
    public PositionView? View(string symbol)
    {
        var legs = Legs;
        var i = legs.ToList().FindIndex(l => l.Symbol == symbol);
        if (i < 0)
        {
            return null;
        }

        var (p, leg, marked) = (a.CrossPositions[symbol], legs[i].Leg, Marked);
        var liquidation = CrossMath.EstimatedLiquidationPrice(a.WalletBalance, marked, i);
        return new PositionView(symbol, p.Side, p.Quantity, p.EntryPrice, p.Leverage, 0m, leg.Mark, leg.Notional,
            Money.Receive(leg.UnrealizedPnl), Money.Receive(leg.UnrealizedPnl), Money.Pay(leg.InitialMargin), Money.Pay(leg.MaintenanceMargin),
            Money.Price(liquidation),
            Money.Price(CrossMath.EstimatedBankruptcyPrice(a.WalletBalance, marked, i)), 0m, MarginMode.Cross, p.TakeProfit, p.StopLoss);
    }

    /// <summary>Closes the open side and opens the remainder the other way, all or nothing.</summary>
    private PositionOutcome Flip(OpenOrder order, int leverage, CrossPosition held)
    {
        var (wallet, house, copy) = (a.WalletBalance, a.HouseLeg, held.Copy());
        var closed = Close(order.Symbol, null);
        var opened = Open(order with { Quantity = order.Quantity - copy.Quantity }, leverage);
        if (!opened.Result.IsOk)
        {
            (a.WalletBalance, a.HouseLeg) = (wallet, house);
            a.CrossPositions[order.Symbol] = copy;
            return opened;
        }

        return opened.After(closed);
    }

    /// <summary>Settles realized PnL and fee between wallet and house, the exact complement of each other.</summary>
    private PositionOutcome Book(string symbol, JournalKind kind, decimal realized, decimal fee)
    {
        var walletDelta = realized - fee;
        a.WalletBalance += walletDelta;
        a.HouseLeg += fee - realized;
        var view = View(symbol);
        return new PositionOutcome(Rejected.Ok, walletDelta, realized, fee, markets[symbol].MarkPrice, view, kind,
            view is null ? "" : TakeProfitStopLoss.Note(view.Side, view.StopLoss, view.LiquidationPrice));
    }

    private CrossLeg Leg(string symbol, CrossPosition p) =>
        new(p.Side.Sign(), p.Quantity, p.EntryPrice, markets[symbol].MarkPrice, p.Leverage, markets[symbol].Spec.Brackets());
}
