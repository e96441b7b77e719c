namespace MarginOrleans.Positions;

/// <summary>
/// The money one isolated position holds, for the conservation audit; <see cref="InFlightTransfers"/>
/// names the transfers <see cref="InFlight"/> sums, so the audit can tell one a fund already applied.
/// <see cref="Unreported"/> are the liquidations the position has not heard its account journal:
/// their transfers are in flight unless the account has journaled them (then the fund holds them,
/// and may already have forgotten their ids), which only the account can tell.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionLedger")]
public sealed record PositionLedger(
    [property: Id(0)] decimal IsolatedMargin,
    [property: Id(1)] decimal HouseLeg,
    [property: Id(2)] decimal InFlight,
    [property: Id(3)] IReadOnlyList<string>? InFlightTransfers = null,
    [property: Id(4)] IReadOnlyList<PositionEvent>? Unreported = null);
