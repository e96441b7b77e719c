namespace MarginOrleans.Markets;

/// <summary>A market's parameters with its current mark, as handed to the grains that price against it.</summary>
[GenerateSerializer, Immutable, Alias("MarketSnapshot")]
public sealed record MarketSnapshot(
    [property: Id(0)] MarketSpec Spec,
    [property: Id(1)] decimal MarkPrice,
    [property: Id(2)] decimal IndexPrice,
    [property: Id(3)] DateTimeOffset MarkTime,
    [property: Id(4)] int TriggerCount,
    [property: Id(5)] IReadOnlyList<BracketView> Brackets)
{
    public bool HasMark => MarkPrice > 0;
}
