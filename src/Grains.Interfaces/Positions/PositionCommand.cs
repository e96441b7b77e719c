using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// What the account asks of its isolated position. <see cref="WalletAvailable"/> bounds what
/// the position may take from the wallet: the account is the only writer of its wallet and runs
/// one command at a time, so the figure cannot go stale while the position decides.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionCommand")]
public sealed record PositionCommand(
    [property: Id(0)] PositionCommandKind Kind,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] int Leverage,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] decimal WalletAvailable,
    [property: Id(6)] decimal? LimitPrice);
