namespace MarginOrleans.Markets;

/// <summary>
/// What the auto-deleveraging ranking needs of a position, carried by its liquidation trigger (a
/// cross account's band) so the index ranks a whole market without calling any position grain.
/// A cross position's bankruptcy price is its estimate with every other mark held.
/// </summary>
[GenerateSerializer, Immutable, Alias("PositionStanding")]
public sealed record PositionStanding(
    [property: Id(0)] decimal Quantity,
    [property: Id(1)] decimal EntryPrice,
    [property: Id(2)] decimal BankruptcyPrice);
