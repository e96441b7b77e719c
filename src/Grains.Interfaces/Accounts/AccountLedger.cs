namespace MarginOrleans.Accounts;

/// <summary>The money one account (with its isolated positions) holds, for the conservation audit.</summary>
[GenerateSerializer, Immutable, Alias("AccountLedger")]
public sealed record AccountLedger(
    [property: Id(0)] decimal Deposits,
    [property: Id(1)] decimal Withdrawals,
    [property: Id(2)] decimal WalletBalance,
    [property: Id(3)] decimal IsolatedMargin,
    [property: Id(4)] decimal HouseLeg,
    [property: Id(5)] decimal InFlight);
