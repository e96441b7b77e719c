using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// A position marked to a price, with every figure a trader watches. For a cross position the
/// isolated margin is zero and the liquidation and bankruptcy prices are estimates with every
/// other mark held (docs/margin-math.md, Cross margin).
/// </summary>
/// <param name="FundingSinceOpen">Funding since the leg opened: received positive, paid negative.</param>
/// <param name="FeesSinceOpen">Every fee the leg paid since it opened (opening, adding, partial closes).</param>
/// <param name="BreakEvenPrice">The mark at which closing the leg now nets zero after those fees, that funding and the close's taker fee.</param>
[GenerateSerializer, Immutable, Alias("PositionView")]
public sealed record PositionView(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal EntryPrice,
    [property: Id(4)] int Leverage,
    [property: Id(5)] decimal IsolatedMargin,
    [property: Id(6)] decimal MarkPrice,
    [property: Id(7)] decimal Notional,
    [property: Id(8)] decimal UnrealizedPnl,
    [property: Id(9)] decimal Equity,
    [property: Id(10)] decimal InitialMargin,
    [property: Id(11)] decimal MaintenanceMargin,
    [property: Id(12)] decimal? LiquidationPrice,
    [property: Id(13)] decimal BankruptcyPrice,
    [property: Id(14)] decimal MaxRemovable,
    [property: Id(15)] MarginMode Mode,
    [property: Id(16)] decimal? TakeProfit = null,
    [property: Id(17)] decimal? StopLoss = null,
    [property: Id(18)] LegSide LegSide = LegSide.Both,
    [property: Id(19)] decimal RoePercent = 0m,
    [property: Id(20)] decimal MarginRatio = 0m,
    [property: Id(21)] decimal MaxOpenableNotional = 0m,
    [property: Id(22)] decimal FundingSinceOpen = 0m,
    [property: Id(23)] decimal FeesSinceOpen = 0m,
    [property: Id(24)] decimal BreakEvenPrice = 0m);
