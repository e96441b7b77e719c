using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

/// <summary>
/// The money of every isolated position change, at the mark. Each method validates first and
/// mutates only when it accepts; each asserts that the wallet delta is the exact opposite of
/// what the position booked to its margin and house leg.
/// </summary>
public sealed class PositionChanges(IsolatedPositionState p, MarketSnapshot market)
{
    private readonly RiskBrackets brackets = market.Spec.Brackets();
    private decimal Mark => market.MarkPrice;

    private Fills.Held Held => new(p.Side, p.Quantity, p.EntryPrice, p.Leverage);

    public PositionOutcome Open(OpenCommand c)
    {
        var held = Held;
        var (plan, step) = Fills.Plan(held, c.Side, c.Quantity, c.LimitPrice, market);
        if (!plan.IsOk || step != Fills.Step.Add)
        {
            return !plan.IsOk ? PositionOutcome.Refused(plan.Reason, plan.Detail) : step == Fills.Step.Reduce ? Close(c.Quantity) : Flip(c);
        }

        var margin = IsolatedMath.InitialMargin(c.Quantity, Mark, c.Leverage);
        var fee = IsolatedMath.Fee(c.Quantity * Mark, market.Spec.TakerFeeRate);
        var order = new OpenOrder(market.Spec.Symbol, c.Side, c.Quantity, c.Leverage, c.LimitPrice, c.TakeProfit, c.StopLoss);
        if (Fills.CheckAdd(held, order, c.Leverage, market, margin, fee, c.WalletAvailable) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        p.EntryPrice = Fills.EntryAfterAdd(held, c.Quantity, Mark);
        (p.Side, p.Quantity, p.Leverage) = (c.Side, held.Quantity + c.Quantity, c.Leverage);
        // An increase keeps the orders it does not replace; a new position starts with only its own.
        (p.TakeProfit, p.StopLoss) = held.IsOpen ? (c.TakeProfit ?? p.TakeProfit, c.StopLoss ?? p.StopLoss) : (c.TakeProfit, c.StopLoss);
        return Book(held.IsOpen ? JournalKind.PositionIncreased : JournalKind.PositionOpened, -(margin + fee), margin, fee, 0m, fee);
    }

    public PositionOutcome Close(decimal? requested, JournalKind kind = JournalKind.PositionReduced)
    {
        if (Fills.CheckClose(Held, requested, $"position on {market.Spec.Symbol}") is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        var quantity = requested ?? p.Quantity;
        var released = quantity == p.Quantity ? p.IsolatedMargin : Money.Receive(p.IsolatedMargin * quantity / p.Quantity);

        // Isolated: the trader never loses more than the margin of the closed slice.
        var realized = Math.Max(-released, Fills.Realized(Held, quantity, Mark));
        var fee = Math.Min(IsolatedMath.Fee(quantity * Mark, market.Spec.TakerFeeRate), released + realized);
        p.Quantity -= quantity;
        if (!p.IsOpen)
        {
            Flatten();
            kind = kind == JournalKind.PositionReduced ? JournalKind.PositionClosed : kind;
        }

        return Book(kind, released + realized - fee, -released, fee - realized, realized, fee) with { Quantity = quantity };
    }

    /// <summary>
    /// Auto-deleveraging: closes the fewest lots that cover the fund's need at the
    /// bankrupt position's price, no fee; the released margin and the PnL at the mark less what it
    /// gives up go to the wallet, what it gives up to the fund (returned as the transfer to send).
    /// </summary>
    public (PositionOutcome Outcome, FundTransfer? Transfer) Deleverage(DeleverageOrder order)
    {
        var (quantity, given, realized) = Fills.Deleverage(Held, order, market);
        if (quantity == 0m)
        {
            return (PositionOutcome.Refused(Rejection.NothingToDeleverage, $"no {order.Side} position in profit on {market.Spec.Symbol}"), null);
        }

        var released = quantity == p.Quantity ? p.IsolatedMargin : Money.Receive(p.IsolatedMargin * quantity / p.Quantity);
        p.Quantity -= quantity;
        if (!p.IsOpen)
        {
            Flatten();
        }

        var outcome = Book(JournalKind.AutoDeleveraged, released + realized - given, -released, -realized, realized - given, 0m, toFund: given);
        return (outcome with { FillPrice = Fills.DeleveragedPrice(order.Side, Mark, quantity, given), Quantity = quantity },
            new FundTransfer(order.TransferId, given, order.Fund));
    }

    /// <summary>Sets (or with null removes) both orders, validated against the side and the current mark.</summary>
    public PositionOutcome SetTakeProfitStopLoss(decimal? takeProfit, decimal? stopLoss)
    {
        if (!p.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {market.Spec.Symbol}");
        }

        if (TakeProfitStopLoss.Check(p.Side, Mark, takeProfit, stopLoss, market.Spec) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        (p.TakeProfit, p.StopLoss) = (takeProfit, stopLoss);
        return Book(JournalKind.TakeProfitStopLossSet, 0m, 0m, 0m, 0m, 0m);
    }

    /// <summary>A take-profit or stop-loss that fired closes the whole position at the mark, if the mark still crosses it.</summary>
    public PositionOutcome CloseBy(TriggerKind kind)
    {
        if (!p.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {market.Spec.Symbol}");
        }

        return TakeProfitStopLoss.Crossed(p.Side, p.TakeProfit, p.StopLoss, Mark) == kind
            ? Close(null, TakeProfitStopLoss.Journaled(kind))
            : PositionOutcome.Refused(Rejection.TriggerNotCrossed, $"the mark {Mark} no longer crosses the position's {kind}");
    }

    public PositionOutcome AddMargin(decimal amount, decimal walletAvailable)
    {
        if (!p.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {market.Spec.Symbol}");
        }

        return amount > walletAvailable
            ? PositionOutcome.Refused(Rejection.InsufficientBalance, $"amount {amount} exceeds the available balance {walletAvailable}")
            : Book(JournalKind.MarginAdded, -amount, amount, 0m, 0m, 0m);
    }

    public PositionOutcome RemoveMargin(decimal amount)
    {
        if (!p.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {market.Spec.Symbol}");
        }

        // A stale mark proves no profit: it backs nothing removable (a loss on it still counts).
        var mark = market.Stale && p.Sign * (Mark - p.EntryPrice) > 0m ? p.EntryPrice : Mark;
        var max = IsolatedMath.MaxRemovable(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin, p.Leverage, mark, brackets);
        return amount > max
            ? PositionOutcome.Refused(Rejection.ExceedsMaxRemovable, $"amount {amount} exceeds the max removable {max}")
            : Book(JournalKind.MarginRemoved, amount, -amount, 0m, 0m, 0m);
    }

    /// <summary>
    /// Changes the open position's leverage: lowering it moves from the wallet what lifts the
    /// margin to the new IM (at entry, as at open); raising it keeps the margin, which the trader
    /// may then remove. Either way the bracket holding the notional caps it.
    /// </summary>
    public PositionOutcome SetLeverage(int leverage, decimal walletAvailable)
    {
        if (!p.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {market.Spec.Symbol}");
        }

        if (brackets.CheckLeverage(p.Quantity * Mark, leverage) is { IsOk: false } capped)
        {
            return PositionOutcome.Refused(capped.Reason, capped.Detail);
        }

        var needed = Math.Max(0m, IsolatedMath.InitialMargin(p.Quantity, p.EntryPrice, leverage) - p.IsolatedMargin);
        if (needed > walletAvailable)
        {
            return PositionOutcome.Refused(Rejection.InsufficientBalance, $"{leverage}x needs {needed} more margin; available {walletAvailable}");
        }

        p.Leverage = leverage;
        return Book(JournalKind.LeverageSet, -needed, needed, 0m, 0m, 0m);
    }

    /// <summary>
    /// Pays or receives the funding owed since the position last settled (lazily
    /// through the market's cumulative index), from and into its isolated margin, against the
    /// house. A payment never exceeds the margin: an isolated trader loses at most that. Returns
    /// what the trader paid (negative: received). A flat position only moves its settlement point.
    /// </summary>
    public decimal SettleFunding()
    {
        var now = market.Funding.Point;
        if (!p.IsOpen)
        {
            p.Funding = now;
            return 0m;
        }

        // A position open before funding existed owes from the first funding time; a snapshot older
        // than the position's last settlement owes nothing (points never move back).
        var last = p.Funding ?? FundingPoint.Zero;
        if (now.Times <= last.Times)
        {
            return 0m;
        }

        var paid = Math.Min(FundingMath.Owed(p.Sign, p.Quantity, now.Cumulative, last.Cumulative), p.IsolatedMargin);
        (p.IsolatedMargin, p.HouseLeg, p.Funding) = (p.IsolatedMargin - paid, p.HouseLeg + paid, now);
        return paid;
    }

    /// <summary>
    /// Partial liquidation by bracket step-down (Binance/Bybit): a position at maintenance above
    /// the first bracket is reduced at the mark to the largest size the bracket below holds. The
    /// slice's loss comes out of the position's margin (the house books it, never more than the
    /// margin); the rest of the margin stays with the trader, backing what remains under the lower
    /// bracket's smaller maintenance margin. Repeated while the position is still at maintenance and
    /// can step down; returns each step (quantity, loss). The caller liquidates fully only if the
    /// position is still at maintenance after the last step.
    /// </summary>
    public List<(decimal Quantity, decimal Loss)> StepDown()
    {
        var steps = new List<(decimal, decimal)>();
        while (IsLiquidatable && Fills.StepDownTo(brackets, p.Quantity, Mark, market.Spec.LotSize) is { } keep)
        {
            var slice = p.Quantity - keep;
            var realized = Math.Max(-p.IsolatedMargin, Fills.Realized(Held, slice, Mark));
            (p.Quantity, p.IsolatedMargin, p.HouseLeg) = (keep, p.IsolatedMargin + realized, p.HouseLeg - realized);
            steps.Add((slice, -realized));
        }

        return steps;
    }

    /// <summary>At or below maintenance at a fresh mark: a stale mark liquidates nobody (the owner is asked again later).</summary>
    public bool IsLiquidatable => !market.Stale && IsBelowMaintenance;

    private bool IsBelowMaintenance =>
        p.IsOpen && IsolatedMath.IsLiquidatable(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin, Mark, brackets);

    /// <summary>
    /// Closes the whole position at the mark (Bybit-style): the house books the
    /// trader's loss, the fund receives the remaining equity or pays the deficit. Σ = margin.
    /// </summary>
    public (FundTransfer Transfer, decimal Quantity, decimal MarginLost) Liquidate(string transferId)
    {
        var (margin, quantity) = (p.IsolatedMargin, p.Quantity);
        var pnl = Money.Receive(IsolatedMath.UnrealizedPnl(p.Sign, p.Quantity, p.EntryPrice, Mark));
        var left = margin + pnl;
        var transfer = new FundTransfer(transferId, left, market.Spec.InsuranceFund, left < 0m ? new Deficit(p.Side, quantity, Mark, market.Spec.Symbol) : null);
        p.HouseLeg -= pnl;
        (p.Quantity, p.IsolatedMargin) = (0m, 0m);
        Flatten();
        Invariant.Assert(-pnl + transfer.Amount == margin, "liquidation movements sum to the isolated margin");
        return (transfer, quantity, margin);
    }

    /// <summary>
    /// What every way a position ends leaves behind: no entry and no orders. A take-profit or
    /// stop-loss outliving its position would be inherited by the next one on the symbol.
    /// </summary>
    private void Flatten() => (p.EntryPrice, p.TakeProfit, p.StopLoss) = (0m, null, null);

    /// <summary>Closes the open side and opens the remainder the other way, all or nothing.</summary>
    private PositionOutcome Flip(OpenCommand c)
    {
        var snapshot = Copy(p);
        var closed = Close(null); // clears the old side's take-profit and stop-loss
        var opened = Open(c with { Quantity = c.Quantity - snapshot.Quantity, WalletAvailable = c.WalletAvailable + closed.WalletDelta });
        if (!opened.Result.IsOk)
        {
            Restore(snapshot);
            return opened;
        }

        return opened.After(closed);
    }

    private PositionOutcome Book(JournalKind kind, decimal walletDelta, decimal marginDelta, decimal houseDelta, decimal realized, decimal fee, decimal toFund = 0m)
    {
        Invariant.Assert(walletDelta + marginDelta + houseDelta + toFund == 0m, "wallet delta is the exact opposite of margin, house and fund deltas");
        p.IsolatedMargin += marginDelta;
        p.HouseLeg += houseDelta;
        Invariant.Assert(p.IsolatedMargin >= 0m && (p.IsOpen || p.IsolatedMargin == 0m), "isolated margin is non-negative and zero when flat");
        var view = p.IsOpen ? p.View(market.Spec.Symbol, Mark, brackets) : null;
        return new PositionOutcome(Rejected.Ok, walletDelta, realized, fee, Mark, view, kind,
            view is null ? "" : TakeProfitStopLoss.Note(view.Side, view.StopLoss, view.LiquidationPrice));
    }

    private static IsolatedPositionState Copy(IsolatedPositionState s) => new()
    {
        Side = s.Side, Quantity = s.Quantity, EntryPrice = s.EntryPrice, Leverage = s.Leverage,
        IsolatedMargin = s.IsolatedMargin, HouseLeg = s.HouseLeg, TakeProfit = s.TakeProfit, StopLoss = s.StopLoss,
    };

    private void Restore(IsolatedPositionState s) =>
        (p.Side, p.Quantity, p.EntryPrice, p.Leverage, p.IsolatedMargin, p.HouseLeg, p.TakeProfit, p.StopLoss) =
        (s.Side, s.Quantity, s.EntryPrice, s.Leverage, s.IsolatedMargin, s.HouseLeg, s.TakeProfit, s.StopLoss);
}
