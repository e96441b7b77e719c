using MarginOrleans.Markets;

namespace MarginOrleans.Markets;

[GenerateSerializer, Alias("MarketState")]
public sealed class MarketState
{
    [Id(0)] public MarketSpec? Spec { get; set; }
    [Id(1)] public decimal MarkPrice { get; set; }
    [Id(2)] public decimal IndexPrice { get; set; }
    [Id(3)] public DateTimeOffset MarkTime { get; set; }

    /// <summary>Funding so far: the cumulative index, the premium being averaged, the next funding time and the last events.</summary>
    [Id(4)] public FundingState Funding { get; set; } = new();

    /// <summary>A published mark the circuit breaker holds until a second price confirms it.</summary>
    [Id(5)] public decimal? HeldMark { get; set; }

    /// <summary>The latest price of each named index source, and the average basis (mark − index) of published marks.</summary>
    [Id(6)] public Dictionary<string, SourcePrice> Sources { get; set; } = [];
    [Id(7)] public decimal AverageBasis { get; set; }
}

[GenerateSerializer, Immutable, Alias("SourcePrice")]
public sealed record SourcePrice([property: Id(0)] decimal Price, [property: Id(1)] DateTimeOffset Time);
