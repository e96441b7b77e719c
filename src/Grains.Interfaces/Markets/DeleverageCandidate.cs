namespace MarginOrleans.Markets;

/// <summary>A position in the auto-deleveraging queue: its trigger's owner (a <see cref="TriggerKey"/>), its ranking score and quantity.</summary>
[GenerateSerializer, Immutable, Alias("DeleverageCandidate")]
public sealed record DeleverageCandidate(
    [property: Id(0)] string Owner,
    [property: Id(1)] decimal Score,
    [property: Id(2)] decimal Quantity);
