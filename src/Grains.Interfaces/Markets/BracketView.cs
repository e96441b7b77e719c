namespace MarginOrleans.Markets;

/// <summary>A bracket with its derived floor and maintenance amount, as shown to callers.</summary>
[GenerateSerializer, Immutable, Alias("BracketView")]
public sealed record BracketView(
    [property: Id(0)] decimal NotionalFloor,
    [property: Id(1)] decimal NotionalCap,
    [property: Id(2)] decimal MaintenanceMarginRate,
    [property: Id(3)] int LeverageMax,
    [property: Id(4)] decimal MaintenanceAmount);
