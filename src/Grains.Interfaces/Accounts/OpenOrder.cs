using MarginOrleans.Markets;

namespace MarginOrleans.Accounts;

/// <summary>
/// A market order that opens, adds to, reduces or flips a position; it fills at the mark. A
/// take-profit or stop-loss given with it is set on the position it leaves open.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenOrder")]
public sealed record OpenOrder(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] int? Leverage,
    [property: Id(4)] decimal? LimitPrice,
    [property: Id(5)] decimal? TakeProfit = null,
    [property: Id(6)] decimal? StopLoss = null);
