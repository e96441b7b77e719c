using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// Take-profit and stop-loss, one set of rules for isolated and cross positions: a long's
/// take-profit fires at a mark at or above it and its stop-loss at or below it, a short's the
/// other way round. Either closes the whole position at the mark.
/// </summary>
public static class TakeProfitStopLoss
{
    /// <summary>Valid prices on the tick, neither of which the current mark already crosses (it would fire at once).</summary>
    public static Rejected Check(PositionSide side, decimal mark, decimal? takeProfit, decimal? stopLoss, MarketSpec spec)
    {
        if (OrderChecks.FirstFailure(OrderChecks.Price(takeProfit, spec, "take_profit_price"), OrderChecks.Price(stopLoss, spec, "stop_loss_price")) is { IsOk: false } bad)
        {
            return bad;
        }

        var (above, below) = side == PositionSide.Long ? ("above", "below") : ("below", "above");
        if (takeProfit is { } tp && Fires(side, TriggerKind.TakeProfit, tp, mark))
        {
            return new(Rejection.TriggerWouldFireNow, $"a {Name(side)}'s take-profit must lie {above} the mark {mark}; {tp} would fire at once");
        }

        return stopLoss is { } sl && Fires(side, TriggerKind.StopLoss, sl, mark)
            ? new(Rejection.TriggerWouldFireNow, $"a {Name(side)}'s stop-loss must lie {below} the mark {mark}; {sl} would fire at once")
            : Rejected.Ok;
    }

    /// <summary>Which order the mark crosses, if any; the stop-loss first, should a position hold two that cross.</summary>
    public static TriggerKind? Crossed(PositionSide side, decimal? takeProfit, decimal? stopLoss, decimal mark) =>
        stopLoss is { } sl && Fires(side, TriggerKind.StopLoss, sl, mark) ? TriggerKind.StopLoss
        : takeProfit is { } tp && Fires(side, TriggerKind.TakeProfit, tp, mark) ? TriggerKind.TakeProfit
        : null;

    /// <summary>The reply's note when a stop-loss lies past the liquidation price: accepted, but it will never be reached.</summary>
    public static string Note(PositionSide side, decimal? stopLoss, decimal? liquidationPrice) =>
        stopLoss is { } sl && liquidationPrice is { } lp && (side == PositionSide.Long ? sl <= lp : sl >= lp)
            ? $"the stop-loss {sl} lies past the liquidation price {lp}: liquidation comes first"
            : "";

    /// <summary>The index entry of one order: exact prices, already on the tick.</summary>
    public static TriggerEntry? Entry(TriggerKey key, PositionSide side, decimal? price) => price is { } p
        ? new TriggerEntry(key, (side == PositionSide.Long) == (key.Kind == TriggerKind.TakeProfit) ? TriggerDirection.AtOrAbove : TriggerDirection.AtOrBelow, p)
        : null;

    public static JournalKind Journaled(TriggerKind kind) => kind == TriggerKind.TakeProfit ? JournalKind.TakeProfit : JournalKind.StopLoss;

    private static bool Fires(PositionSide side, TriggerKind kind, decimal price, decimal mark) =>
        (side == PositionSide.Long) == (kind == TriggerKind.TakeProfit) ? mark >= price : mark <= price;

    private static string Name(PositionSide side) => side == PositionSide.Long ? "long" : "short";
}
