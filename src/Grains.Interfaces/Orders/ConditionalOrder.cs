using System.Text.Json.Serialization;
using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Orders;

/// <summary>
/// A market order that waits in the market's trigger index until the mark reaches its condition.
/// It enters or exits like an <see cref="OpenOrder"/> of the same side, quantity and leg; with
/// <see cref="ClosePosition"/> its quantity is the whole leg when it fires. A trailing stop's
/// <see cref="CallbackRate"/> is in percent; <see cref="ActivationPrice"/> is when it starts to follow.
/// </summary>
[GenerateSerializer, Immutable, Alias("ConditionalOrder")]
public sealed record ConditionalOrder(
    [property: Id(0)] OrderType Type,
    [property: Id(1)] string Symbol,
    [property: Id(2)] PositionSide Side,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] decimal? TriggerPrice = null,
    [property: Id(5)] bool ClosePosition = false,
    [property: Id(6)] bool ReduceOnly = false,
    [property: Id(7)] LegSide LegSide = LegSide.Both,
    [property: Id(8)] decimal? CallbackRate = null,
    [property: Id(9)] decimal? ActivationPrice = null,
    [property: Id(10)] DateTimeOffset? GoodTill = null,
    [property: Id(11)] int? Leverage = null)
{
    /// <summary>The position the order fills.</summary>
    [JsonIgnore]
    public LegKey Leg => new(Symbol, LegSide);

    /// <summary>The market order it sends when it fires, for <paramref name="quantity"/>.</summary>
    public OpenOrder ToOpen(decimal quantity) => new(Symbol, Side, quantity, Leverage, null, LegSide: LegSide, ReduceOnly: ReduceOnly || (ClosePosition && LegSide == LegSide.Both));

    /// <summary>True when it may only reduce its leg: reduce-only, close-position, or the opposite side of a hedge leg.</summary>
    [JsonIgnore]
    public bool OnlyReduces => ClosePosition || ToOpen(1m).OnlyReduces;
}
