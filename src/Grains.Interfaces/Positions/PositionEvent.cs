using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// Something an isolated position did by itself (a liquidation, a funding settlement), for its
/// account's journal. <see cref="Number"/> counts the position's events; the account journals
/// each number once and acknowledges, and the position re-sends until it has. <see cref="MarginPaid"/>
/// is what left the position's margin: lost to a liquidation, or paid as funding (negative: received).
/// The alias is the name stored before funding existed, so older states still read.
/// </summary>
/// <param name="Transfer">
/// A liquidation's transfer to its market's fund. The account applies it to the fund (once by its
/// id) before it journals the event, so a journaled liquidation is one whose fund holds its money
/// durably: the account's journal is the transfer's record of done, and the position, which wrote
/// the transfer with its liquidation, never writes again for it. Null on other events and on
/// liquidations written before reports carried it.
/// </param>
[GenerateSerializer, Immutable, Alias("LiquidationReport")]
public sealed record PositionEvent(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal MarkPrice,
    [property: Id(4)] decimal MarginPaid,
    [property: Id(5)] decimal InsuranceFundDelta,
    [property: Id(6)] DateTimeOffset Time,
    [property: Id(7)] int Number,
    [property: Id(8)] JournalKind Kind = JournalKind.Liquidation,
    [property: Id(9)] LegSide LegSide = LegSide.Both,
    [property: Id(10)] FundTransfer? Transfer = null)
{
    public LegKey Leg => new(Symbol, LegSide);
}
