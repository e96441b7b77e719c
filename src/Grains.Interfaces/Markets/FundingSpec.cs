namespace MarginOrleans.Markets;

/// <summary>
/// A market's funding parameters: paid every <see cref="IntervalSeconds"/> at whole
/// multiples of it since the Unix epoch (8 h: 00:00, 08:00, 16:00 UTC), rate
/// <c>F = P + clamp(I − P, −Clamp, +Clamp)</c>, capped at ±<see cref="CapFactor"/> × bracket 1's MMR.
/// </summary>
[GenerateSerializer, Immutable, Alias("FundingSpec")]
public sealed record FundingSpec(
    [property: Id(0)] int IntervalSeconds = FundingSpec.EightHours,
    [property: Id(1)] decimal InterestRate = 0.0001m,
    [property: Id(2)] decimal Clamp = 0.0005m,
    [property: Id(3)] decimal CapFactor = 0.75m)
{
    public const int EightHours = 8 * 60 * 60;

    public static readonly FundingSpec Default = new();

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
}
