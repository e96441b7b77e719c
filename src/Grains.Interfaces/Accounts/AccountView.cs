using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>An account's balances with its open positions marked to the current marks.</summary>
[GenerateSerializer, Immutable, Alias("AccountView")]
public sealed record AccountView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] decimal WalletBalance,
    [property: Id(2)] decimal Available,
    [property: Id(3)] decimal IsolatedMargin,
    [property: Id(4)] decimal UnrealizedPnl,
    [property: Id(5)] decimal Equity,
    [property: Id(6)] IReadOnlyDictionary<string, int> Leverage,
    [property: Id(7)] IReadOnlyList<PositionView> Positions);
