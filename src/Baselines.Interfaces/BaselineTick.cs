namespace MarginOrleans.Baselines;

/// <summary>A tick as the patterns carry it; <see cref="At"/> starts the tick → liquidation clock; a probe asks every position to say it got here.</summary>
[GenerateSerializer, Immutable, Alias("BaselineTick")]
public sealed record BaselineTick([property: Id(0)] decimal Mark, [property: Id(1)] DateTimeOffset At, [property: Id(2)] bool Probe);
