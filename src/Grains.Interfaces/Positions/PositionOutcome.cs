using MarginOrleans.Accounts;

namespace MarginOrleans.Positions;

/// <summary>
/// What a position command did. <see cref="WalletDelta"/> is the signed amount the account must
/// book to the wallet; the position has booked the exact opposite to its margin and house leg
/// (and to the insurance fund, when auto-deleveraged). <see cref="Quantity"/> is what the command
/// filled when the position decided it (a close, auto-deleveraging), else 0. <see cref="Event"/> is
/// what the account journals; a refused command has none. <see cref="Unreported"/> are the events the
/// position recorded by itself and has not had acknowledged, up to the first carrying a transfer
/// (funding it settled first, steps down): stored with the outcome, so the account journals them ahead
/// of the booking and a crash replays them under the same sequence numbers.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionOutcome")]
public sealed record PositionOutcome(
    [property: Id(0)] Rejected Result,
    [property: Id(1)] decimal WalletDelta,
    [property: Id(2)] decimal RealizedPnl,
    [property: Id(3)] decimal Fee,
    [property: Id(4)] decimal FillPrice,
    [property: Id(5)] PositionView? Position,
    [property: Id(6)] JournalKind? Event,
    [property: Id(7)] string Note = "",
    [property: Id(8)] decimal Quantity = 0m,
    [property: Id(9)] IReadOnlyList<PositionEvent>? Unreported = null)
{
    public static PositionOutcome Refused(Rejection reason, string detail) =>
        new(new Rejected(reason, detail), 0m, 0m, 0m, 0m, null, null);

    /// <summary>
    /// The journal kind of a command that did something (asked only after <see cref="Result"/> is OK).
    /// A method, not a property: serializers read properties, and a stored refusal must serialize.
    /// </summary>
    public JournalKind JournaledAs() => Event ?? throw new InvalidOperationException($"a refused command journals nothing: {Result.Detail}");
}
