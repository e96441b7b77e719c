using MarginOrleans.Markets;

namespace MarginOrleans.Silo;

/// <summary>The markets a new installation starts with: docs/margin-math.md's example bracket table, Binance-style leverage caps.</summary>
public static class DefaultMarkets
{
    public static readonly IReadOnlyList<BracketSpec> Brackets =
    [
        new(50_000m, 0.004m, 125),
        new(250_000m, 0.005m, 100),
        new(1_000_000m, 0.01m, 50),
        new(10_000_000m, 0.025m, 20),
        new(20_000_000m, 0.05m, 10),
        new(50_000_000m, 0.10m, 5),
        new(100_000_000m, 0.125m, 4),
        new(200_000_000m, 0.15m, 3),
        new(300_000_000m, 0.25m, 2),
        new(500_000_000m, 0.50m, 1),
    ];

    /// <summary>The feed publishes every 2 s: a market that has heard nothing for 30 s has lost its feed.</summary>
    private const int StaleAfterSeconds = 30;

    public static readonly IReadOnlyList<(MarketSpec Spec, decimal StartPrice)> All =
    [
        (new MarketSpec("BTC-USDT", 0.1m, 0.001m, 0.0005m, Brackets, StaleAfterSeconds: StaleAfterSeconds), 60_000m),
        (new MarketSpec("ETH-USDT", 0.01m, 0.01m, 0.0005m, Brackets, StaleAfterSeconds: StaleAfterSeconds), 3_000m),
        (new MarketSpec("SOL-USDT", 0.001m, 0.1m, 0.0005m, Brackets, StaleAfterSeconds: StaleAfterSeconds), 150m),
    ];
}
