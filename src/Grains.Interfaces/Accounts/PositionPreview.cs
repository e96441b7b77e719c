using MarginOrleans.Markets;

namespace MarginOrleans.Accounts;

/// <summary>The figures a new isolated position would have if opened now at the mark.</summary>
[GenerateSerializer, Immutable, Alias("PositionPreview")]
public sealed record PositionPreview(
    [property: Id(0)] Rejected Result,
    [property: Id(1)] decimal FillPrice,
    [property: Id(2)] decimal Notional,
    [property: Id(3)] int Leverage,
    [property: Id(4)] decimal InitialMargin,
    [property: Id(5)] decimal MaintenanceMargin,
    [property: Id(6)] decimal Fee,
    [property: Id(7)] decimal? LiquidationPrice,
    [property: Id(8)] decimal BankruptcyPrice);
