namespace MarginOrleans.Markets;

/// <summary>One entry of a market's trigger index: whose it is, which way and at what price it fires.</summary>
[GenerateSerializer, Immutable, Alias("TriggerEntry")]
public sealed record TriggerEntry(
    [property: Id(0)] string AccountId,
    [property: Id(1)] TriggerDirection Direction,
    [property: Id(2)] decimal Price);
