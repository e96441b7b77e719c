namespace MarginOrleans.Positions;

/// <summary>
/// The money one isolated position holds, for the conservation audit; <see cref="InFlightTransfers"/>
/// names the transfers <see cref="InFlight"/> sums, so the audit can tell one a fund already applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionLedger")]
public sealed record PositionLedger(
    [property: Id(0)] decimal IsolatedMargin,
    [property: Id(1)] decimal HouseLeg,
    [property: Id(2)] decimal InFlight,
    [property: Id(3)] IReadOnlyList<string>? InFlightTransfers = null);
