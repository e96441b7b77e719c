using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>What a liquidation did, for the account's journal; <see cref="Number"/> counts the position's liquidations.</summary>
[GenerateSerializer, Immutable, Alias("LiquidationReport")]
public sealed record LiquidationReport(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal MarkPrice,
    [property: Id(4)] decimal MarginLost,
    [property: Id(5)] decimal InsuranceFundDelta,
    [property: Id(6)] DateTimeOffset Time,
    [property: Id(7)] int Number);
