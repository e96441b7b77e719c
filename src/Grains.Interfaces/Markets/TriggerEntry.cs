namespace MarginOrleans.Markets;

/// <summary>
/// One entry of a market's trigger index: whose it is, which way and at what price it fires.
/// The owner is an account id for an isolated position's liquidation price, or
/// <see cref="TriggerOwner.Cross"/> of it for a cross account's band.
/// </summary>
[GenerateSerializer, Immutable, Alias("TriggerEntry")]
public sealed record TriggerEntry(
    [property: Id(0)] string Owner,
    [property: Id(1)] TriggerDirection Direction,
    [property: Id(2)] decimal Price);
