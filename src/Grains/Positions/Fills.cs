using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

/// <summary>
/// What an order does to a held position, written once for isolated and cross: the checks that do
/// not depend on where margin comes from (in the order of <see cref="Rejection"/>), whether it adds,
/// reduces or flips, the new entry price and the PnL a close realizes. The two books differ only in
/// the money: an isolated position moves margin between wallet and position, a cross one does not.
/// </summary>
public static class Fills
{
    public enum Step
    {
        /// <summary>Opens the position or adds to it on the same side.</summary>
        Add,

        /// <summary>An opposite order no larger than the position: a close of that quantity.</summary>
        Reduce,

        /// <summary>An opposite order larger than the position: close it all, open the rest the other way.</summary>
        Flip,
    }

    /// <summary>A held position as both books see it; <see cref="Quantity"/> 0 when flat.</summary>
    public readonly record struct Held(PositionSide Side, decimal Quantity, decimal EntryPrice, int Leverage)
    {
        public bool IsOpen => Quantity > 0m;
    }

    /// <summary>
    /// Which step the order is, then its limit price; on a stale mark only a reduction goes
    /// through — opening, adding and flipping take new risk at a price nobody has confirmed.
    /// </summary>
    public static (Rejected Check, Step Step) Plan(Held held, PositionSide side, decimal quantity, decimal? limit, MarketSnapshot market)
    {
        var mark = market.MarkPrice;
        var step = held.IsOpen && held.Side != side ? (quantity <= held.Quantity ? Step.Reduce : Step.Flip) : Step.Add;
        if (limit is { } l && (side == PositionSide.Long ? mark > l : mark < l))
        {
            return (new Rejected(Rejection.LimitPriceNotMet, $"mark {mark} is beyond the limit price {l}"), step);
        }

        return market.Stale && step != Step.Reduce
            ? (new Rejected(Rejection.MarkPriceStale, $"mark price is stale: the last, {mark} at {market.MarkTime:O}, is older than {market.Spec.StaleAfterSeconds} s"), step)
            : (Rejected.Ok, step);
    }

    /// <summary>
    /// Adding <paramref name="quantity"/> on <paramref name="side"/>: liquidations first (none pending
    /// on the market), its take-profit and stop-loss, the bracket of the new notional, the balance
    /// (<paramref name="margin"/> + <paramref name="fee"/> against <paramref name="available"/>), and
    /// the leverage of the position it adds to.
    /// </summary>
    public static Rejected CheckAdd(Held held, OpenOrder order, int leverage, MarketSnapshot market, decimal margin, decimal fee, decimal available)
    {
        // Every client meets this here, not at an edge: new risk waits while positions the mark
        // crossed are still being liquidated, so it never fills ahead of them. Reductions never wait.
        if (market.Backlog > 0)
        {
            return new Rejected(Rejection.LiquidationsPending,
                $"{market.Backlog} liquidation(s) on {market.Spec.Symbol} are being worked off; new risk waits until they are done: send the same request again");
        }

        var mark = market.MarkPrice;
        if ((order.TakeProfit ?? order.StopLoss) is not null
            && TakeProfitStopLoss.Check(order.Side, mark, order.TakeProfit, order.StopLoss, market.Spec) is { IsOk: false } orders)
        {
            return orders;
        }

        var check = market.Spec.Brackets().CheckOpen((held.Quantity + order.Quantity) * mark, leverage);
        if (check.IsOk && margin + fee > available)
        {
            check = new Rejected(Rejection.InsufficientBalance, $"needs {Money.Pay(margin) + fee} (margin {Money.Pay(margin)} + fee {fee}); available {Money.Receive(available)}");
        }

        return check.IsOk && held.IsOpen && leverage != held.Leverage
            ? new Rejected(Rejection.LeverageDiffersFromPosition, $"the open position uses {held.Leverage}x; set leverage before adding at {leverage}x")
            : check;
    }

    /// <summary>The entry after adding at the mark: the quantity-weighted average, to price precision.</summary>
    public static decimal EntryAfterAdd(Held held, decimal quantity, decimal mark) =>
        held.IsOpen ? Money.Price((held.Quantity * held.EntryPrice + quantity * mark) / (held.Quantity + quantity)) : mark;

    /// <summary>Closing <paramref name="requested"/> (null: all) of the held position; <paramref name="position"/> names it in the refusal.</summary>
    public static Rejected CheckClose(Held held, decimal? requested, string position)
    {
        if (!held.IsOpen)
        {
            return new Rejected(Rejection.NoOpenPosition, $"no open {position}");
        }

        return requested is { } q && q > held.Quantity
            ? new Rejected(Rejection.CloseExceedsPosition, $"quantity {q} exceeds the position's {held.Quantity}")
            : Rejected.Ok;
    }

    /// <summary>
    /// A bracket step-down (partial liquidation): the size, on the lot, a position of
    /// <paramref name="quantity"/> keeps to sit in the bracket below its own at the mark — null in
    /// the first bracket, or when no smaller size on the lot fits.
    /// </summary>
    public static decimal? StepDownTo(RiskBrackets brackets, decimal quantity, decimal mark, decimal lot)
    {
        var k = -1;
        for (var i = 0; i < brackets.Tiers.Count && k < 0; i++)
        {
            k = brackets.Tiers[i].Holds(quantity * mark) ? i : -1;
        }

        if (k <= 0)
        {
            return null;
        }

        // A bracket holds notionals under its cap.
        var cap = brackets.Tiers[k - 1].NotionalCap;
        var keep = Math.Floor(cap / mark / lot) * lot;
        keep = keep * mark < cap ? keep : keep - lot;
        return keep > 0m && keep < quantity ? keep : null;
    }

    /// <summary>
    /// What an auto-deleveraging order takes from a held position, the same for isolated and cross
    /// (<see cref="Deleveraging.Take"/>): the quantity it closes, what it gives up and
    /// the PnL the close realizes at the mark; all zero when the position is not on the order's side,
    /// not in profit, or the mark is stale (a stale mark proves no profit).
    /// </summary>
    public static (decimal Quantity, decimal Given, decimal Realized) Deleverage(Held held, DeleverageOrder order, MarketSnapshot market)
    {
        if (!held.IsOpen || held.Side != order.Side || market.Stale)
        {
            return (0m, 0m, 0m);
        }

        var mark = market.MarkPrice;
        var (quantity, given) = Deleveraging.Take(held.Quantity, held.Side.Sign() * (mark - held.EntryPrice), order.Needed, order.PerUnit, market.Spec.LotSize);
        return quantity == 0m ? (0m, 0m, 0m) : (quantity, given, Realized(held, quantity, mark));
    }

    /// <summary>
    /// The price an auto-deleveraged close fills at: the mark moved against the position by what it
    /// gave up per unit — the bankrupt position's bankruptcy price, unless capped by its own profit.
    /// </summary>
    public static decimal DeleveragedPrice(PositionSide side, decimal mark, decimal quantity, decimal given) =>
        Money.Price(mark - side.Sign() * given / quantity);

    /// <summary>The PnL closing <paramref name="quantity"/> at the mark realizes, rounded against the trader.</summary>
    public static decimal Realized(Held held, decimal quantity, decimal mark) =>
        Money.Receive(IsolatedMath.UnrealizedPnl(held.Side.Sign(), quantity, held.EntryPrice, mark));
}
