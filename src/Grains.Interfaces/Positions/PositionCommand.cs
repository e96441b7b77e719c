using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// What the account asks of its isolated position: one record per command, each carrying only
/// what it means. <see cref="WalletAvailable"/> bounds what the position may take from the
/// wallet: the account is the only writer of its wallet and runs one command at a time, so the
/// figure cannot go stale while the position decides.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionCommand")]
public abstract record PositionCommand
{
    [Id(0)] public decimal WalletAvailable { get; init; }
}

/// <summary>Opens, adds to, reduces or flips the position at the mark, at a leverage the account has resolved.</summary>
[GenerateSerializer, Immutable, Alias("OpenCommand")]
public sealed record OpenCommand(
    [property: Id(0)] PositionSide Side,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] int Leverage,
    [property: Id(3)] decimal? LimitPrice = null,
    [property: Id(4)] decimal? TakeProfit = null,
    [property: Id(5)] decimal? StopLoss = null,
    [property: Id(6)] bool OnlyReduces = false) : PositionCommand;

/// <summary>
/// Closes <see cref="Quantity"/> (all when null). With <see cref="ClosedBy"/> it is a take-profit
/// or stop-loss that fired: it applies only while the mark still crosses that order.
/// </summary>
[GenerateSerializer, Immutable, Alias("CloseCommand")]
public sealed record CloseCommand([property: Id(0)] decimal? Quantity, [property: Id(1)] TriggerKind? ClosedBy = null) : PositionCommand;

/// <summary>Sets both orders, replacing what the position had; null removes one.</summary>
[GenerateSerializer, Immutable, Alias("TakeProfitStopLossCommand")]
public sealed record TakeProfitStopLossCommand([property: Id(0)] decimal? TakeProfit, [property: Id(1)] decimal? StopLoss) : PositionCommand;

[GenerateSerializer, Immutable, Alias("AddMarginCommand")]
public sealed record AddMarginCommand([property: Id(0)] decimal Amount) : PositionCommand;

[GenerateSerializer, Immutable, Alias("RemoveMarginCommand")]
public sealed record RemoveMarginCommand([property: Id(0)] decimal Amount) : PositionCommand;

[GenerateSerializer, Immutable, Alias("SetLeverageCommand")]
public sealed record SetLeverageCommand([property: Id(0)] int Leverage) : PositionCommand;

/// <summary>An order from an insurance fund: give up what covers its shortfall, at the bankrupt position's price.</summary>
[GenerateSerializer, Immutable, Alias("DeleverageCommand")]
public sealed record DeleverageCommand([property: Id(0)] DeleverageOrder Order) : PositionCommand;
