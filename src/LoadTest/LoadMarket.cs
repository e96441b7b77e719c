using MarginOrleans.Markets;

namespace MarginOrleans.LoadTest;

/// <summary>The load run's own market: the example table's first four brackets (docs/margin-math.md), a fresh symbol per run.</summary>
public static class LoadMarket
{
    public const decimal Start = 10_000m;

    /// <summary>Its prices are multiples of this.</summary>
    public const decimal TickSize = 0.1m;

    public static readonly IReadOnlyList<BracketSpec> Brackets =
    [
        new(50_000m, 0.004m, 125), new(250_000m, 0.005m, 100), new(1_000_000m, 0.01m, 50), new(10_000_000m, 0.025m, 20),
    ];

    public static string NewSymbol() => $"L{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}-USDT";
}
