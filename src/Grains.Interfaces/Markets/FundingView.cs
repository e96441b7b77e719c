namespace MarginOrleans.Markets;

/// <summary>
/// Where a market's funding stands after <see cref="Times"/> funding times: the cumulative index
/// positions settle against, and the shifts it implies for the trigger index — how far a long's
/// liquidation price has moved up and a short's down, at most, through funding paid since zero.
/// Points only move forward; a snapshot read before the latest funding time is an older point.
/// </summary>
[GenerateSerializer, Immutable, Alias("FundingPoint")]
public sealed record FundingPoint(
    [property: Id(0)] decimal Cumulative,
    [property: Id(1)] decimal LongShift,
    [property: Id(2)] decimal ShortShift,
    [property: Id(3)] long Times = 0)
{
    /// <summary>Before the first funding time: what a position opened before funding existed settles from.</summary>
    public static readonly FundingPoint Zero = new(0m, 0m, 0m);

    /// <summary>The shift a liquidation trigger on <paramref name="side"/> is computed under (its <see cref="TriggerEntry.Frame"/>).</summary>
    public decimal FrameOf(PositionSide side) => side == PositionSide.Long ? LongShift : ShortShift;
}

/// <summary>A market's funding as the grains price against it: where it stands, the rate the next funding time would pay now, when that is, and the last rate paid.</summary>
[GenerateSerializer, Immutable, Alias("FundingView")]
public sealed record FundingView(
    [property: Id(0)] FundingPoint Point,
    [property: Id(1)] decimal EstimatedRate,
    [property: Id(2)] DateTimeOffset Next,
    [property: Id(3)] decimal LastRate);
