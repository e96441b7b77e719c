using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Orders;

/// <summary>
/// A conditional order's rules that need only the order, its market and the mark: which fields its
/// type takes, which way it fires, and that it does not fire (or start to trail) the moment it is placed.
/// Checked in this order: fields, quantity, prices, callback rate, good-till, then the mark.
/// </summary>
public static class OrderRules
{
    public static Rejected Check(ConditionalOrder order, MarketSpec spec, decimal mark, DateTimeOffset now) => OrderChecks.FirstFailure(
        Fields(order),
        order.ClosePosition ? Rejected.Ok : OrderChecks.Quantity(order.Quantity, spec),
        OrderChecks.Price(order.TriggerPrice, spec, "trigger price"),
        OrderChecks.Price(order.ActivationPrice, spec, "activation price"),
        order.Leverage is { } leverage ? OrderChecks.Leverage(leverage, spec) : Rejected.Ok,
        order.CallbackRate is { } rate && !TrailingStops.IsCallbackRate(rate)
            ? new Rejected(Rejection.CallbackRateOutOfRange, $"callback rate {rate}% must be from 0.1% to 10% in steps of 0.1%")
            : Rejected.Ok,
        order.GoodTill is { } till && till <= now
            ? new Rejected(Rejection.GoodTillPassed, $"good-till {till:O} has already passed")
            : Rejected.Ok,
        AgainstMark(order, mark));

    /// <summary>Which way the mark must move to fire it: a stop against the order's side, a take-profit with it, a trailing stop back from its peak.</summary>
    public static TriggerDirection FiresWhen(ConditionalOrder order) => (order.Type, order.Side) switch
    {
        (OrderType.TakeProfitMarket, PositionSide.Long) => TriggerDirection.AtOrBelow,
        (OrderType.TakeProfitMarket, _) => TriggerDirection.AtOrAbove,
        (_, PositionSide.Long) => TriggerDirection.AtOrAbove,
        _ => TriggerDirection.AtOrBelow,
    };

    /// <summary>Whether the mark is at or past a stop or take-profit order's trigger price (never true of a trailing stop: its book decides).</summary>
    public static bool Crossed(ConditionalOrder order, decimal mark) => order.TriggerPrice is { } price
        && (FiresWhen(order) == TriggerDirection.AtOrAbove ? mark >= price : mark <= price);

    /// <summary>The order's entry in the market's trigger index.</summary>
    public static TriggerEntry Entry(string accountId, PlacedOrder placed)
    {
        var order = placed.Order;
        var trailing = order.Type == OrderType.TrailingStopMarket;
        var key = TriggerKey.Order(accountId, placed.OrderId, trailing);
        return trailing
            ? new TriggerEntry(key.ToString(), FiresWhen(order), order.ActivationPrice ?? 0m, CallbackRate: order.CallbackRate ?? 0m)
            : new TriggerEntry(key, FiresWhen(order), order.TriggerPrice ?? 0m);
    }

    /// <summary>The order with an amendment's fields applied.</summary>
    public static ConditionalOrder Amended(ConditionalOrder order, OrderAmendment change) => order with
    {
        TriggerPrice = change.TriggerPrice ?? order.TriggerPrice,
        Quantity = change.Quantity ?? order.Quantity,
        CallbackRate = change.CallbackRate ?? order.CallbackRate,
        ActivationPrice = change.ActivationPrice ?? order.ActivationPrice,
        GoodTill = change.GoodTill ?? order.GoodTill,
    };

    private static Rejected Fields(ConditionalOrder order)
    {
        var trailing = order.Type == OrderType.TrailingStopMarket;
        var problem = (order.Type, order.Side) switch
        {
            _ when !Enum.IsDefined(order.Type) => $"order type {order.Type} is not one of STOP_MARKET, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET",
            _ when !Enum.IsDefined(order.Side) => "the order needs a side, BUY or SELL",
            _ when order.ClosePosition && order.Quantity != 0m => "give a quantity or close_position, not both",
            _ when trailing && order.TriggerPrice is not null => "a trailing stop has no trigger price: it follows the mark by its callback rate",
            _ when trailing && order.CallbackRate is null => "a trailing stop needs a callback rate",
            _ when !trailing && order.TriggerPrice is null => $"a {Name(order.Type)} order needs a trigger price",
            _ when !trailing && (order.CallbackRate is not null || order.ActivationPrice is not null) => "callback rate and activation price are for trailing stops only",
            _ when order.ClosePosition && order.LegSide != Positions.LegSide.Both && order.Side == OpenOrder.Direction(order.LegSide) =>
                $"close_position on the {PositionModes.Name(order.LegSide)} leg is a {(order.LegSide == Positions.LegSide.Long ? "SELL" : "BUY")}",
            _ => null,
        };
        return problem is null ? Rejected.Ok : new Rejected(Rejection.OrderFieldsInvalid, problem);
    }

    private static Rejected AgainstMark(ConditionalOrder order, decimal mark)
    {
        if (Crossed(order, mark))
        {
            return new Rejected(Rejection.TriggerWouldFireNow, $"trigger price {order.TriggerPrice} would fire at once at the mark {mark}");
        }

        // A SELL trailing stop protects a long: it starts to follow once the mark is at or above its activation price.
        var protects = order.Side == PositionSide.Short ? PositionSide.Long : PositionSide.Short;
        return order.ActivationPrice is { } activation && TrailingActivations.Reached(protects, activation, mark)
            ? new Rejected(Rejection.ActivationPriceReached,
                $"activation price {activation} is already reached at the mark {mark}: a {(order.Side == PositionSide.Short ? "SELL" : "BUY")} trailing stop activates {(protects == PositionSide.Long ? "above" : "below")} the mark")
            : Rejected.Ok;
    }

    public static string Name(OrderType type) => type switch
    {
        OrderType.StopMarket => "STOP_MARKET",
        OrderType.TakeProfitMarket => "TAKE_PROFIT_MARKET",
        _ => "TRAILING_STOP_MARKET",
    };
}
