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
    [property: Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] LegSide LegSide = LegSide.Both,
    [property: Id(8), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool ReduceOnly = false)
{
    /// <summary>
    /// True when the order may only reduce the leg: asked reduce-only, or the opposite side of a hedge
    /// leg (a SELL on the LONG leg closes it). It fills at most the leg's size and never flips.
    /// </summary>
    [JsonIgnore]
    public bool OnlyReduces => ReduceOnly || (LegSide != LegSide.Both && Side != Direction(LegSide));

    /// <summary>The direction a hedge leg always holds.</summary>
    public static PositionSide Direction(LegSide leg) => leg == LegSide.Short ? PositionSide.Short : PositionSide.Long;

    /// <summary>The position the order fills.</summary>
    [JsonIgnore]
    public LegKey Leg => new(Symbol, LegSide);
}
