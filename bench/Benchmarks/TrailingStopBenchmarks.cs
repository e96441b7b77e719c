using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarginOrleans.Markets;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// One tick of a trailing-stop book holding 1k and 100k active stops (both sides, callback rates
/// 1% to 10%, placed at different marks so they sit in many groups, a tenth still waiting for an
/// activation price), measured in one run: the Ratio column of each category is 100k ÷ 1k.
/// "idle": the mark moves between 19,980 and 20,000, where nothing fires or activates.
/// "fire 10": ten 0.1% SELL stops placed at 20,000, the tick to 19,980 that fires them, and the tick back.
/// </summary>
[MemoryDiagnoser, ShortRunJob, CategoriesColumn, GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TrailingStopBenchmarks
{
    private const decimal Mark = 20_000m;

    private TrailingStops small = null!, large = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        small = Book(1_000);
        large = Book(100_000);
    }

    [Benchmark(Baseline = true, Description = "1k stops"), BenchmarkCategory("idle")]
    public int IdleSmall() => small.Tick(NextMark()).Count;

    [Benchmark(Description = "100k stops"), BenchmarkCategory("idle")]
    public int IdleLarge() => large.Tick(NextMark()).Count;

    [Benchmark(Baseline = true, Description = "1k stops"), BenchmarkCategory("fire 10")]
    public int FireSmall() => FireTen(small);

    [Benchmark(Description = "100k stops"), BenchmarkCategory("fire 10")]
    public int FireLarge() => FireTen(large);

    private static int FireTen(TrailingStops book)
    {
        book.Tick(Mark);
        for (var i = 0; i < 10; i++)
        {
            book.Add("fire-" + i, PositionSide.Long, 0.1m);
        }

        var fired = book.Tick(Mark * 0.999m).Count;
        return fired == 10 ? fired : throw new InvalidOperationException($"{fired} stops fired, not 10");
    }

    /// <summary>Stops placed while the mark wanders in [19,960, 20,100]: SELL peaks stay ≤ 20,100 (stop ≤ 19,899) and BUY troughs ≥ 19,960 (stop ≥ 20,159.6).</summary>
    private static TrailingStops Book(int stops)
    {
        var random = new Random(11);
        var book = new TrailingStops(Mark);
        for (var i = 0; i < stops; i++)
        {
            if (i % 100 == 0)
            {
                book.Tick(19_960m + random.Next(0, 1_401) * 0.1m);
            }

            var side = random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
            decimal? activation = i % 10 != 0 ? null : side == PositionSide.Long ? 30_000m + random.Next(1_000) : 10_000m - random.Next(1_000);
            book.Add("acc-" + i, side, random.Next(10, 101) / 10m, activation);
        }

        book.Tick(Mark);
        return book.Count == stops ? book : throw new InvalidOperationException("a stop fired while the book was filled");
    }

    private decimal NextMark() => Mark - (next++ % 5) * 5m;
}
