using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// The position commands written once for isolated and cross: open (add, reduce or flip), close,
/// take-profit / stop-loss, and the close an order starts. What differs — whose collateral backs the
/// leg, so what a fill costs and what a close pays — is left to the two books that derive from it.
/// Each command validates first and changes state only when it accepts.
/// </summary>
public abstract class PositionBook(MarketSnapshot market)
{
    protected MarketSnapshot Market => market;

    protected decimal Mark => market.MarkPrice;

    /// <summary>The leg as the state holds it now.</summary>
    protected abstract Leg Leg { get; }

    /// <summary>How refusals name the position: "position on BTC-USDT", "cross position on BTC-USDT".</summary>
    protected abstract string Name { get; }

    /// <summary>Adds the order's fill to the leg if its collateral can back it; the outcome journals <paramref name="kind"/>.</summary>
    protected abstract PositionOutcome Add(OpenOrder order, int leverage, JournalKind kind);

    /// <summary>Takes <paramref name="quantity"/> off the leg at the mark and pays the close out of its collateral.</summary>
    protected abstract PositionOutcome Reduce(decimal quantity, JournalKind kind);

    /// <summary>Writes a leg whose orders changed (no money moves).</summary>
    protected abstract PositionOutcome SetOrders(Leg leg);

    /// <summary>A value of everything a flip changes, and its restore: a flip is all or nothing.</summary>
    protected abstract object Snapshot();

    protected abstract void Restore(object snapshot);

    /// <summary>After a flip's close: what the open that follows may draw on includes what the close paid.</summary>
    protected virtual void Credit(decimal walletDelta)
    {
    }

    /// <summary>
    /// An order at the mark. One that may only reduce (<see cref="OpenOrder.OnlyReduces"/>) is refused
    /// where it would open or add, and where it would flip it closes the leg and the rest expires.
    /// </summary>
    public PositionOutcome Open(OpenOrder order, int leverage)
    {
        var held = Leg;
        var (plan, step) = Fills.Plan(held.Held, order.Side, order.Quantity, order.LimitPrice, market);
        if (order.OnlyReduces && step == Fills.Step.Add)
        {
            return PositionOutcome.Refused(Rejection.ReduceOnlyWouldIncrease, held.IsOpen
                ? $"an order that only reduces cannot add to the {held.Side.ToString().ToLowerInvariant()} {Name}"
                : $"no open {Name} to reduce");
        }

        return !plan.IsOk ? PositionOutcome.Refused(plan.Reason, plan.Detail)
            : step == Fills.Step.Reduce ? Close(order.Quantity)
            : step == Fills.Step.Flip && order.OnlyReduces ? Close(null) with
            {
                Note = $"{held.Quantity} of {order.Quantity} filled: the order only reduces, so the rest ({order.Quantity - held.Quantity}) expired",
            }
            : step == Fills.Step.Flip ? Flip(order, leverage, held.Quantity)
            : Add(order, leverage, held.IsOpen ? JournalKind.PositionIncreased : JournalKind.PositionOpened);
    }

    /// <summary>
    /// Closes <paramref name="requested"/> (null: all) at the mark. A close that ends the position is
    /// journaled as <paramref name="closedAs"/> (an order names itself), one that leaves some as a reduction.
    /// </summary>
    public PositionOutcome Close(decimal? requested, JournalKind closedAs = JournalKind.PositionClosed)
    {
        var held = Leg;
        if (Fills.CheckClose(held.Held, requested, Name) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        var quantity = requested ?? held.Quantity;
        return Reduce(quantity, quantity == held.Quantity ? closedAs : JournalKind.PositionReduced) with { Quantity = quantity };
    }

    /// <summary>Sets (or with null removes) both orders, validated against the side and the current mark.</summary>
    public PositionOutcome SetTakeProfitStopLoss(decimal? takeProfit, decimal? stopLoss)
    {
        var held = Leg;
        if (!held.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open {Name}");
        }

        return TakeProfitStopLoss.Check(held.Side, Mark, takeProfit, stopLoss, market.Spec) is { IsOk: false } bad
            ? PositionOutcome.Refused(bad.Reason, bad.Detail)
            : SetOrders(held.WithOrders(takeProfit, stopLoss));
    }

    /// <summary>A take-profit or stop-loss that fired closes the whole position at the mark, if the mark still crosses it.</summary>
    public PositionOutcome CloseBy(TriggerKind kind)
    {
        var held = Leg;
        if (!held.IsOpen)
        {
            return PositionOutcome.Refused(Rejection.NoOpenPosition, $"no open {Name}");
        }

        return TakeProfitStopLoss.Crossed(held.Side, held.TakeProfit, held.StopLoss, Mark) == kind
            ? Close(null, TakeProfitStopLoss.Journaled(kind))
            : PositionOutcome.Refused(Rejection.TriggerNotCrossed, $"the mark {Mark} no longer crosses the {Name}'s {kind}");
    }

    /// <summary>Closes the open side (and its orders) and opens the remainder the other way, all or nothing.</summary>
    private PositionOutcome Flip(OpenOrder order, int leverage, decimal held)
    {
        var before = Snapshot();
        var closed = Close(null);
        Credit(closed.WalletDelta);
        var opened = Add(order with { Quantity = order.Quantity - held }, leverage, JournalKind.PositionOpened);
        if (!opened.Result.IsOk)
        {
            Restore(before);
            return opened;
        }

        return opened.After(closed);
    }
}
