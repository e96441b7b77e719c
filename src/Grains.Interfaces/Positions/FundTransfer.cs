using MarginOrleans.Operations;

namespace MarginOrleans.Positions;

/// <summary>
/// A transfer to (or, negative, from) the insurance fund of <see cref="Fund"/>: a market's own fund,
/// keyed by its symbol. Transfers recorded before funds were per market name the one shared fund.
/// A liquidation's deficit carries its <see cref="Deficit"/>: what auto-deleveraging needs if the fund cannot pay.
/// </summary>
[GenerateSerializer, Immutable, Alias("FundTransfer")]
public sealed record FundTransfer(
    [property: Id(0)] string Id,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Fund = InsuranceFunds.Shared,
    [property: Id(3)] Deficit? Deficit = null);
