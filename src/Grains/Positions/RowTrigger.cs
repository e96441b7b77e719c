using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>An index entry an isolated position's row holds, and the number of the shard that holds it in memory.</summary>
[GenerateSerializer, Alias("RowTrigger")]
public sealed record RowTrigger([property: Id(0)] int Shard, [property: Id(1)] TriggerEntry Entry);
