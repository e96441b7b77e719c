namespace MarginOrleans.Markets;

/// <summary>
/// One risk bracket as an operator configures it. The floor is the previous bracket's cap and
/// the maintenance amount is derived (docs/margin-math.md), so neither can be set inconsistently.
/// </summary>
[GenerateSerializer, Immutable, Alias("BracketSpec")]
public sealed record BracketSpec(
    [property: Id(0)] decimal NotionalCap,
    [property: Id(1)] decimal MaintenanceMarginRate,
    [property: Id(2)] int LeverageMax);
