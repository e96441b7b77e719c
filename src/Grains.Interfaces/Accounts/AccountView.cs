using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// An account's balances with its positions marked to the current marks. Margin balance, Σ MM
/// and the margin ratio (MM / margin balance, liquidation at 1: Binance's orientation) are those
/// of the cross pool; available is what new positions and transfers out may use. <see cref="MarginCalls"/>:
/// the ratios at or above the margin call — the cross account's under "", each isolated position's
/// (MM / its equity) under its symbol.
/// </summary>
[GenerateSerializer, Immutable, Alias("AccountView")]
public sealed record AccountView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] decimal WalletBalance,
    [property: Id(2)] decimal Available,
    [property: Id(3)] decimal IsolatedMargin,
    [property: Id(4)] decimal UnrealizedPnl,
    [property: Id(5)] decimal Equity,
    [property: Id(6)] IReadOnlyDictionary<string, int> Leverage,
    [property: Id(7)] IReadOnlyList<PositionView> Positions,
    [property: Id(8)] decimal MarginBalance,
    [property: Id(9)] decimal MaintenanceMargin,
    [property: Id(10)] decimal MarginRatio,
    [property: Id(11)] decimal MaxWithdrawal,
    [property: Id(12)] int LeverageCap,
    [property: Id(13)] IReadOnlyDictionary<string, MarginMode> MarginModes,
    [property: Id(14)] long JournalSequence = 0,
    [property: Id(15)] IReadOnlyDictionary<string, decimal>? MarginCalls = null,
    [property: Id(16)] PositionMode PositionMode = PositionMode.OneWay);
