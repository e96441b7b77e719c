using MarginOrleans.Markets;

namespace MarginOrleans.Markets;

[GenerateSerializer, Alias("MarketState")]
public sealed class MarketState
{
    [Id(0)] public MarketSpec? Spec { get; set; }
    [Id(1)] public decimal MarkPrice { get; set; }
    [Id(2)] public decimal IndexPrice { get; set; }
    [Id(3)] public DateTimeOffset MarkTime { get; set; }
}
