using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// One row of an account's journal: a money movement or position event. Every field means one
/// thing on every kind: <see cref="Quantity"/> is a quantity and <see cref="Symbol"/> a symbol,
/// and what only some kinds say has a field of its own, null on the other kinds.
/// </summary>
/// <param name="Leverage">A <see cref="JournalKind.LeverageSet"/>'s new leverage.</param>
/// <param name="MarginMode">A <see cref="JournalKind.MarginModeSet"/>'s new margin mode.</param>
/// <param name="LeverageCap">A <see cref="JournalKind.RiskPolicySet"/>'s new leverage cap.</param>
/// <param name="Fund">
/// The insurance fund a cross <see cref="JournalKind.Liquidation"/>'s transfer row sends the
/// margin left (or its deficit) to; that row has no symbol, quantity or price.
/// </param>
/// <param name="LegSide">The leg of the symbol a position row is about: BOTH in one-way mode, LONG or SHORT in hedge mode.</param>
/// <param name="PositionMode">A <see cref="JournalKind.PositionModeSet"/>'s new position mode.</param>
/// <param name="OrderId">The conditional order an order row is about, and the fill row an order's firing made.</param>
/// <param name="Note">Why an order was cancelled (by the trader, expired, its leg closed, or its market order refused when it fired).</param>
[GenerateSerializer, Immutable, Alias("JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] JournalKind Kind,
    [property: Id(3)] string Symbol,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] decimal Price,
    [property: Id(6)] decimal WalletDelta,
    [property: Id(7)] decimal RealizedPnl,
    [property: Id(8)] decimal Fee,
    [property: Id(9)] decimal WalletBalance,
    [property: Id(10)] string RequestId,
    [property: Id(11)] int? Leverage = null,
    [property: Id(12)] MarginMode? MarginMode = null,
    [property: Id(13)] int? LeverageCap = null,
    [property: Id(14)] string? Fund = null,
    [property: Id(15)] LegSide LegSide = LegSide.Both,
    [property: Id(16)] PositionMode? PositionMode = null,
    [property: Id(17)] long? OrderId = null,
    [property: Id(18)] string? Note = null);
