using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

/// <summary>
/// The isolated book: the position's own margin backs its leg. The commands both books share come
/// from <see cref="PositionBook"/>; here is what a fill costs and a close pays when the collateral is
/// the position's margin, and what only an isolated position has (margin moves, leverage, funding
/// from its margin, step-downs and liquidation). Each method validates first and mutates only when
/// it accepts; each asserts that the wallet delta is the exact opposite of what the position booked
/// to its margin and house leg.
/// </summary>
public sealed class PositionChanges(IsolatedPositionState position, MarketSnapshot market, LegKey? leg = null) : PositionBook(market)
{
    private readonly RiskBrackets brackets = market.Spec.Brackets();

    /// <summary>What the account's wallet can give this command (a flip's close adds to it).</summary>
    private decimal walletAvailable;

    protected override Leg Leg => position.Leg;

    protected override string Name => $"position on {Market.Spec.Symbol}";

    public PositionOutcome Open(OpenCommand command)
    {
        walletAvailable = command.WalletAvailable;
        return Open(new OpenOrder(Market.Spec.Symbol, command.Side, command.Quantity, command.Leverage, command.LimitPrice, command.TakeProfit, command.StopLoss, ReduceOnly: command.OnlyReduces), command.Leverage);
    }

    protected override PositionOutcome Add(OpenOrder order, int leverage, JournalKind kind)
    {
        var held = Leg;
        var margin = IsolatedMath.InitialMargin(order.Quantity, Mark, leverage);
        var fee = IsolatedMath.Fee(order.Quantity * Mark, Market.Spec.TakerFeeRate);
        if (Fills.CheckAdd(held.Held, order, leverage, Market, margin, fee, walletAvailable) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        Write(held.Added(order.Side, order.Quantity, Mark, leverage, order.TakeProfit, order.StopLoss).Charged(fee));
        return Book(kind, -(margin + fee), margin, fee, 0m, fee);
    }

    /// <summary>The slice's share of the margin is released; the trader never loses more than it.</summary>
    protected override PositionOutcome Reduce(decimal quantity, JournalKind kind)
    {
        var held = Leg;
        var released = Released(quantity);
        var realized = Math.Max(-released, Fills.Realized(held.Held, quantity, Mark));
        var fee = Math.Min(IsolatedMath.Fee(quantity * Mark, Market.Spec.TakerFeeRate), released + realized);
        Write(held.Charged(fee).Reduced(quantity));
        return Book(kind, released + realized - fee, -released, fee - realized, realized, fee);
    }

    protected override PositionOutcome SetOrders(Leg leg)
    {
        Write(leg);
        return Book(JournalKind.TakeProfitStopLossSet, 0m, 0m, 0m, 0m, 0m);
    }

    protected override object Snapshot() => (Leg, position.IsolatedMargin, position.HouseLeg, walletAvailable);

    protected override void Restore(object snapshot)
    {
        var (leg, margin, house, available) = ((Leg, decimal, decimal, decimal))snapshot;
        Write(leg);
        (position.IsolatedMargin, position.HouseLeg, walletAvailable) = (margin, house, available);
    }

    protected override void Credit(decimal walletDelta) => walletAvailable += walletDelta;

    /// <summary>
    /// Auto-deleveraging (docs/margin-math.md, Auto-deleveraging): closes the fewest lots that cover
    /// the fund's need at the bankrupt position's price, no fee; the released margin and the PnL at
    /// the mark less what it gives up go to the wallet, what it gives up to the fund (returned as the
    /// transfer to send).
    /// </summary>
    public (PositionOutcome Outcome, FundTransfer? Transfer) Deleverage(DeleverageOrder order)
    {
        var held = Leg;
        var (quantity, given, realized) = Fills.Deleverage(held.Held, order, Market);
        if (quantity == 0m)
        {
            return (PositionOutcome.Refused(Rejection.NothingToDeleverage, $"no {order.Side} position in profit on {Market.Spec.Symbol}"), null);
        }

        var released = Released(quantity);
        Write(held.Reduced(quantity));
        var outcome = Book(JournalKind.AutoDeleveraged, released + realized - given, -released, -realized, realized - given, 0m, toFund: given);
        return (outcome with { FillPrice = Fills.DeleveragedPrice(order.Side, Mark, quantity, given), Quantity = quantity },
            new FundTransfer(order.TransferId, given, order.Fund));
    }

    public PositionOutcome AddMargin(decimal amount, decimal walletAvailable)
    {
        if (!position.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {Market.Spec.Symbol}");
        }

        return amount > walletAvailable
            ? PositionOutcome.Refused(Rejection.InsufficientBalance, $"amount {amount} exceeds the available balance {walletAvailable}")
            : Book(JournalKind.MarginAdded, -amount, amount, 0m, 0m, 0m);
    }

    public PositionOutcome RemoveMargin(decimal amount)
    {
        if (!position.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {Market.Spec.Symbol}");
        }

        // A stale mark proves no profit: it backs nothing removable (a loss on it still counts).
        var mark = Market.Stale && position.Sign * (Mark - position.EntryPrice) > 0m ? position.EntryPrice : Mark;
        var max = IsolatedMath.MaxRemovable(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin, position.Leverage, mark, brackets);
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
        if (!position.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open position on {Market.Spec.Symbol}");
        }

        if (brackets.CheckLeverage(position.Quantity * Mark, leverage) is { IsOk: false } capped)
        {
            return PositionOutcome.Refused(capped.Reason, capped.Detail);
        }

        var needed = Math.Max(0m, IsolatedMath.InitialMargin(position.Quantity, position.EntryPrice, leverage) - position.IsolatedMargin);
        if (needed > walletAvailable)
        {
            return PositionOutcome.Refused(Rejection.InsufficientBalance, $"{leverage}x needs {needed} more margin; available {walletAvailable}");
        }

        position.Leverage = leverage;
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
        var now = Market.Funding.Point;
        if (!position.IsOpen)
        {
            position.Funding = now;
            return 0m;
        }

        // A position open before funding existed owes from the first funding time; a snapshot older
        // than the position's last settlement owes nothing (points never move back).
        var last = position.Funding ?? FundingPoint.Zero;
        if (now.Times <= last.Times)
        {
            return 0m;
        }

        var paid = Math.Min(FundingMath.Owed(position.Sign, position.Quantity, now.Cumulative, last.Cumulative), position.IsolatedMargin);
        (position.IsolatedMargin, position.HouseLeg, position.Funding) = (position.IsolatedMargin - paid, position.HouseLeg + paid, now);
        Write(position.Leg.Funded(paid));
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
        while (IsLiquidatable && Fills.StepDownTo(brackets, position.Quantity, Mark, Market.Spec.LotSize) is { } keep)
        {
            var (held, slice) = (Leg, position.Quantity - keep);
            var realized = Math.Max(-position.IsolatedMargin, Fills.Realized(held.Held, slice, Mark));
            Write(held.Reduced(slice));
            (position.IsolatedMargin, position.HouseLeg) = (position.IsolatedMargin + realized, position.HouseLeg - realized);
            steps.Add((slice, -realized));
        }

        return steps;
    }

    /// <summary>At or below maintenance at a fresh mark: a stale mark liquidates nobody (the owner is asked again later).</summary>
    public bool IsLiquidatable => !Market.Stale && IsBelowMaintenance;

    private bool IsBelowMaintenance =>
        position.IsOpen && IsolatedMath.IsLiquidatable(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin, Mark, brackets);

    /// <summary>
    /// Closes the whole position at the mark (Bybit-style): the house books the
    /// trader's loss, the fund receives the remaining equity or pays the deficit. Σ = margin.
    /// </summary>
    public (FundTransfer Transfer, decimal Quantity, decimal MarginLost) Liquidate(string transferId)
    {
        var (margin, quantity) = (position.IsolatedMargin, position.Quantity);
        var pnl = Money.Receive(IsolatedMath.UnrealizedPnl(position.Sign, position.Quantity, position.EntryPrice, Mark));
        var left = margin + pnl;
        var transfer = new FundTransfer(transferId, left, Market.Spec.InsuranceFund, left < 0m ? new Deficit(position.Side, quantity, Mark, Market.Spec.Symbol) : null);
        position.HouseLeg -= pnl;
        position.IsolatedMargin = 0m;
        Write(Leg.Reduced(quantity));
        Invariant.Assert(-pnl + transfer.Amount == margin, "liquidation movements sum to the isolated margin");
        return (transfer, quantity, margin);
    }

    private PositionOutcome Book(JournalKind kind, decimal walletDelta, decimal marginDelta, decimal houseDelta, decimal realized, decimal fee, decimal toFund = 0m)
    {
        Invariant.Assert(walletDelta + marginDelta + houseDelta + toFund == 0m, "wallet delta is the exact opposite of margin, house and fund deltas");
        position.IsolatedMargin += marginDelta;
        position.HouseLeg += houseDelta;
        Invariant.Assert(position.IsolatedMargin >= 0m && (position.IsOpen || position.IsolatedMargin == 0m), "isolated margin is non-negative and zero when flat");
        var view = position.IsOpen ? position.View(leg ?? Market.Spec.Symbol, Mark, brackets, Market.Spec.TakerFeeRate) : null;
        return new PositionOutcome(Rejected.Ok, walletDelta, realized, fee, Mark, view, kind,
            view is null ? "" : TakeProfitStopLoss.Note(view.Side, view.StopLoss, view.LiquidationPrice));
    }

    /// <summary>The margin a close of <paramref name="quantity"/> releases: its share, all of it for the whole.</summary>
    private decimal Released(decimal quantity) =>
        quantity == position.Quantity ? position.IsolatedMargin : Money.Receive(position.IsolatedMargin * quantity / position.Quantity);

    private void Write(Leg leg) =>
        (position.Side, position.Quantity, position.EntryPrice, position.Leverage, position.TakeProfit, position.StopLoss, position.FeesSinceOpen, position.FundingSinceOpen) =
            (leg.Side, leg.Quantity, leg.EntryPrice, leg.Leverage, leg.TakeProfit, leg.StopLoss, leg.FeesSinceOpen, leg.FundingSinceOpen);
}
