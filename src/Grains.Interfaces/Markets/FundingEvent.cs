namespace MarginOrleans.Markets;

/// <summary>One funding time: the rate paid, the mark it was paid at, and the cumulative index after it.</summary>
[GenerateSerializer, Immutable, Alias("FundingEvent")]
public sealed record FundingEvent(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] decimal Rate,
    [property: Id(2)] decimal MarkPrice,
    [property: Id(3)] decimal Cumulative);
