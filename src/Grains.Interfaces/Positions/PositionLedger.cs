namespace MarginOrleans.Positions;

/// <summary>The money one isolated position holds, for the conservation audit.</summary>
[GenerateSerializer, Immutable, Alias("PositionLedger")]
public sealed record PositionLedger(
    [property: Id(0)] decimal IsolatedMargin,
    [property: Id(1)] decimal HouseLeg,
    [property: Id(2)] decimal InFlight);
