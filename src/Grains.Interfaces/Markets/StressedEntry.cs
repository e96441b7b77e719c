namespace MarginOrleans.Markets;

/// <summary>
/// A liquidation entry a hypothetical mark would fire: whose (the entry's owner text, a
/// <see cref="TriggerKey"/>), its side and standing, the price it fires at (funding shift applied)
/// and what its liquidation at that mark would move to the insurance fund: the equity left,
/// positive when the fund receives it, negative for a deficit the fund pays.
/// </summary>
[GenerateSerializer, Immutable, Alias("StressedEntry")]
public sealed record StressedEntry(
    [property: Id(0)] string Owner,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal EntryPrice,
    [property: Id(4)] decimal LiquidationPrice,
    [property: Id(5)] decimal BankruptcyPrice,
    [property: Id(6)] decimal ToFund);
