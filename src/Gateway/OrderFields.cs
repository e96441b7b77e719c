using System.Globalization;

namespace MarginOrleans.Gateway;

/// <summary>Parses a conditional order's own request fields, refusing malformed ones with InvalidArgument and the field's name.</summary>
public static class OrderFields
{
    public static Orders.OrderType Type(Api.V1.OrderType type) => type switch
    {
        Api.V1.OrderType.StopMarket => Orders.OrderType.StopMarket,
        Api.V1.OrderType.TakeProfitMarket => Orders.OrderType.TakeProfitMarket,
        Api.V1.OrderType.TrailingStopMarket => Orders.OrderType.TrailingStopMarket,
        _ => throw Fields.Invalid("type", "must be ORDER_TYPE_STOP_MARKET, ORDER_TYPE_TAKE_PROFIT_MARKET or ORDER_TYPE_TRAILING_STOP_MARKET"),
    };

    /// <summary>An RFC 3339 time with its offset; empty: good till cancelled.</summary>
    public static DateTimeOffset? GoodTill(string text) =>
        text.Length == 0 ? null
        : DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Fields.Invalid("good_till", $"'{(text.Length <= 40 ? text : text[..40] + "…")}' is not an RFC 3339 time with an offset, e.g. 2026-12-31T23:59:59Z");

    public static long Id(long orderId) => orderId > 0 ? orderId : throw Fields.Invalid("order_id", "is required: the id PlaceOrder answered");
}
