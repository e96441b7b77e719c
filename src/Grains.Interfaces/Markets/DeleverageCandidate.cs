namespace MarginOrleans.Markets;

/// <summary>A position in the auto-deleveraging queue: its trigger's owner (a <see cref="TriggerKey"/>) and its ranking score.</summary>
[GenerateSerializer, Immutable, Alias("DeleverageCandidate")]
public sealed record DeleverageCandidate(
    [property: Id(0)] string Owner,
    [property: Id(1)] decimal Score);
