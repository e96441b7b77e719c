using System.Text.Json.Serialization;
using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// A market order that opens, adds to, reduces or flips a position; it fills at the mark. A
/// take-profit or stop-loss given with it is set on the position it leaves open. (A default leg
/// side is left out of the request fingerprint, so ids kept before there were legs still match.)
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenOrder")]
public sealed record OpenOrder(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] int? Leverage,
    [property: Id(4)] decimal? LimitPrice,
    [property: Id(5)] decimal? TakeProfit = null,
    [property: Id(6)] decimal? StopLoss = null,
    [property: Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] LegSide LegSide = LegSide.Both)
{
    /// <summary>The position the order fills.</summary>
    [JsonIgnore]
    public LegKey Leg => new(Symbol, LegSide);
}
