using BenchmarkDotNet.Attributes;
using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// The auto-deleveraging queue read from one trigger index of N positions (half shorts with entries
/// 15,000–25,000 and leverage 2–50x, ranked at mark 17,000): what a fund asks of each shard when
/// it cannot pay (the top 16), against sorting every score (the baseline), and the ADL indicator of
/// one position (GetPosition) from the sorted scores kept for a second, and a registration with its standing.
/// </summary>
[MemoryDiagnoser, ShortRunJob]
public class DeleverageRankingBenchmarks
{
    private const decimal Mark = 17_000m;
    private TriggerIndex index = null!;
    private TriggerEntry[] entries = null!;
    private DateTimeOffset now = DateTimeOffset.UnixEpoch;

    [Params(1_000, 100_000)]
    public int Positions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        index = new TriggerIndex();
        entries = new TriggerEntry[Positions];
        for (var i = 0; i < Positions; i++)
        {
            var isLong = i % 2 == 0;
            var entry = 15_000m + random.Next(0, 100_000) * 0.1m;
            var leverage = random.Next(2, 51);
            var bankruptcy = isLong ? entry * (1m - 1m / leverage) : entry * (1m + 1m / leverage);
            entries[i] = new TriggerEntry($"acc-{i}", isLong ? TriggerDirection.AtOrBelow : TriggerDirection.AtOrAbove,
                bankruptcy, 0m, new PositionStanding(1m, entry, bankruptcy));
            index.Set(entries[i]);
        }
    }

    [Benchmark(Baseline = true, Description = "sort every short's score (baseline)")]
    public int SortAll() => entries
        .Where(e => e.Direction == TriggerDirection.AtOrAbove)
        .Select(e => Deleveraging.Score(-1, e.Standing!.EntryPrice, e.Standing.BankruptcyPrice, Mark))
        .Where(s => s > 0m).OrderByDescending(s => s).Take(16).Count();

    [Benchmark(Description = "ADL queue: top 16 shorts")]
    public int Ranked() => index.Ranked(PositionSide.Short, Mark, 16).Count;

    [Benchmark(Description = "ADL indicator of one position")]
    public int Quantile() => index.Quantile(entries[1].Owner, Mark, now);

    /// <summary>What a registration costs with its standing (compare TriggerIndexBenchmarks' "move one entry", entries without one).</summary>
    [Benchmark(Description = "move one entry with its standing")]
    public int MoveWithStanding()
    {
        var e = entries[next++ % entries.Length];
        index.Set(e with { Price = e.Price + 0.1m, Standing = e.Standing! with { Quantity = 2m } });
        index.Set(e);
        return index.Count;
    }

    private int next;
}
