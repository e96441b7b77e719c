using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>Bracket tables used as test inputs.</summary>
public static class Tables
{
    /// <summary>The example bracket table of docs/margin-math.md (Binance's BTCUSDT caps and rates), with Binance-style leverage caps.</summary>
    public static readonly (decimal Cap, decimal Rate, int LeverageMax)[] ExampleRows =
    [
        (50_000m, 0.004m, 125), (250_000m, 0.005m, 100), (1_000_000m, 0.01m, 50), (10_000_000m, 0.025m, 20),
        (20_000_000m, 0.05m, 10), (50_000_000m, 0.10m, 5), (100_000_000m, 0.125m, 4), (200_000_000m, 0.15m, 3),
        (300_000_000m, 0.25m, 2), (500_000_000m, 0.50m, 1),
    ];

    public static RiskBrackets Example => RiskBrackets.Create(ExampleRows, out _)!;

    /// <summary>One bracket at a flat rate: the worked examples that compare the Binance and Bybit conventions.</summary>
    public static RiskBrackets Flat(decimal rate, int leverageMax = 100) => RiskBrackets.Create([(1_000_000_000m, rate, leverageMax)], out _)!;
}
