using BenchmarkDotNet.Attributes;
using MarginOrleans.Risk;

namespace MarginOrleans.Benchmarks;

/// <summary>The isolated liquidation price with bracket iteration over the example table's ten brackets (docs/margin-math.md).</summary>
[MemoryDiagnoser, ShortRunJob]
public class LiquidationPriceBenchmarks
{
    private readonly RiskBrackets brackets = RiskBrackets.Create(
    [
        (50_000m, 0.004m, 125), (250_000m, 0.005m, 100), (1_000_000m, 0.01m, 50), (10_000_000m, 0.025m, 20),
        (20_000_000m, 0.05m, 10), (50_000_000m, 0.10m, 5), (100_000_000m, 0.125m, 4), (200_000_000m, 0.15m, 3),
        (300_000_000m, 0.25m, 2), (500_000_000m, 0.50m, 1),
    ], out _)!;

    [Benchmark(Description = "LP, first bracket")]
    public decimal? SmallLong() => IsolatedMath.LiquidationPrice(1, 1m, 20_000m, 2_000m, brackets);

    [Benchmark(Description = "LP, fourth bracket")]
    public decimal? LargeShort() => IsolatedMath.LiquidationPrice(-1, 200m, 20_000m, 400_000m, brackets);

    [Benchmark(Description = "is liquidatable")]
    public bool Check() => IsolatedMath.IsLiquidatable(1, 1m, 20_000m, 2_000m, 18_500m, brackets);
}
