namespace MarginOrleans.Accounts;

/// <summary>
/// The money one account (with its isolated positions) holds, for the conservation audit;
/// <see cref="InFlightTransfers"/> names the fund transfers <see cref="InFlight"/> sums.
/// </summary>
[GenerateSerializer, Immutable, Alias("AccountLedger")]
public sealed record AccountLedger(
    [property: Id(0)] decimal Deposits,
    [property: Id(1)] decimal Withdrawals,
    [property: Id(2)] decimal WalletBalance,
    [property: Id(3)] decimal IsolatedMargin,
    [property: Id(4)] decimal HouseLeg,
    [property: Id(5)] decimal InFlight,
    [property: Id(6)] IReadOnlyList<string>? InFlightTransfers = null);
