namespace MarginOrleans.Markets;

/// <summary>
/// A market's funding: the cumulative index positions settle against, the per-side shifts the
/// trigger index applies so that unsettled funding never makes a liquidation late, and the
/// time-weighted premium of the current interval.
/// </summary>
[GenerateSerializer, Alias("FundingState")]
public sealed class FundingState
{
    /// <summary>Σ F × mark over every funding time: what one unit of a long has paid (a short received).</summary>
    [Id(0)] public decimal Cumulative { get; set; }

    /// <summary>Σ of how far each funding time moved a long's liquidation price up (longs paying), at most.</summary>
    [Id(1)] public decimal LongShift { get; set; }

    /// <summary>Σ of how far each funding time moved a short's liquidation price down (shorts paying), at most.</summary>
    [Id(2)] public decimal ShortShift { get; set; }

    [Id(3)] public DateTimeOffset Next { get; set; }

    /// <summary>∫ premium dt and ∫ dt over the current interval (seconds), and where the last sample left off.</summary>
    [Id(4)] public decimal PremiumSeconds { get; set; }
    [Id(5)] public decimal SampledSeconds { get; set; }
    [Id(6)] public decimal LastPremium { get; set; }
    [Id(7)] public DateTimeOffset LastSample { get; set; }

    /// <summary>The latest funding events, newest last.</summary>
    [Id(8)] public List<FundingEvent> History { get; set; } = [];

    /// <summary>Funding times paid so far: orders the points positions settle to.</summary>
    [Id(9)] public long Times { get; set; }
}
