using MarginOrleans.Markets;

namespace MarginOrleans.Operations;

/// <summary>
/// A liquidation past bankruptcy, as its fund transfer describes it: the bankrupt position's side,
/// quantity and market, and the mark it closed at. If the fund cannot pay the deficit, these say whom
/// auto-deleveraging closes (the other side) and at what price (the bankrupt one's bankruptcy price).
/// </summary>
[GenerateSerializer, Immutable, Alias("Deficit")]
public sealed record Deficit(
    [property: Id(0)] PositionSide Side,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] decimal MarkPrice,
    [property: Id(3)] string Symbol);
