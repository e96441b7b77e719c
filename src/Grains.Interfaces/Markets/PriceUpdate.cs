namespace MarginOrleans.Markets;

/// <summary>What a published price did: its rejection, if any, and how many triggers it fired.</summary>
[GenerateSerializer, Immutable, Alias("PriceUpdate")]
public sealed record PriceUpdate([property: Id(0)] Rejected Result, [property: Id(1)] int Fired, [property: Id(2)] bool Held = false);
