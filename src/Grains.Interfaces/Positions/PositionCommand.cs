using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// What the account asks of its isolated position. <see cref="WalletAvailable"/> bounds what
/// the position may take from the wallet: the account is the only writer of its wallet and runs
/// one command at a time, so the figure cannot go stale while the position decides. A close
/// with <see cref="ClosedBy"/> is a take-profit or stop-loss that fired: it applies only while the
/// mark still crosses that order. A <see cref="Deleverage"/> order comes from an insurance fund.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionCommand")]
public sealed record PositionCommand(
    [property: Id(0)] PositionCommandKind Kind,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] int Leverage,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] decimal WalletAvailable,
    [property: Id(6)] decimal? LimitPrice,
    [property: Id(7)] decimal? TakeProfit = null,
    [property: Id(8)] decimal? StopLoss = null,
    [property: Id(9)] TriggerKind? ClosedBy = null,
    [property: Id(10)] DeleverageOrder? Deleverage = null);
