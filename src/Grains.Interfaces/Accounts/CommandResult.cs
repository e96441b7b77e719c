using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>The result of an account command; repeating its request id returns this same value. <see cref="OrderId"/>: the conditional order a placement, amendment or cancel is about.</summary>
[GenerateSerializer, Immutable, Alias("CommandResult")]
public sealed record CommandResult(
    [property: Id(0)] Rejected Result,
    [property: Id(1)] decimal WalletBalance,
    [property: Id(2)] decimal RealizedPnl,
    [property: Id(3)] decimal Fee,
    [property: Id(4)] decimal FillPrice,
    [property: Id(5)] PositionView? Position,
    [property: Id(6)] string Note = "",
    [property: Id(7)] long OrderId = 0)
{
    public static CommandResult Refused(Rejected result, decimal walletBalance) =>
        new(result, walletBalance, 0m, 0m, 0m, null);
}
