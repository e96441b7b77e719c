using BenchmarkDotNet.Attributes;
using MarginOrleans.Markets;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// One tick against N open positions' liquidation triggers: the trigger index walks only what
/// the mark crosses; the baseline re-checks every position per tick (the per-position stream
/// subscription, or dYdX's scanning daemon). Longs trigger in [10,000, 19,000], shorts in
/// [21,000, 30,000]; the tick lands at 20,000.0 ± a few ticks, so it crosses nothing.
/// </summary>
[MemoryDiagnoser, ShortRunJob]
public class TriggerIndexBenchmarks
{
    private TriggerIndex index = null!;
    private TriggerEntry[] entries = null!;
    private DateTimeOffset now = DateTimeOffset.UnixEpoch;
    private int next;

    [Params(1_000, 100_000, 1_000_000)]
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
            var price = (isLong ? 10_000m : 21_000m) + random.Next(0, 90_000) * 0.1m;
            entries[i] = new TriggerEntry("acc-" + i, isLong ? TriggerDirection.AtOrBelow : TriggerDirection.AtOrAbove, price);
            index.Set(entries[i]);
        }
    }

    [Benchmark(Baseline = true, Description = "full scan (baseline)")]
    public int FullScan()
    {
        var mark = NextMark();
        var fired = 0;
        foreach (var e in entries)
        {
            if (e.Direction == TriggerDirection.AtOrBelow ? mark <= e.Price : mark >= e.Price)
            {
                fired++;
            }
        }

        return fired;
    }

    [Benchmark(Description = "trigger index tick")]
    public int IndexTick() => index.Fire(NextMark(), now = now.AddSeconds(1)).Count;

    [Benchmark(Description = "trigger index move one entry")]
    public int IndexMove()
    {
        var e = entries[next++ % entries.Length];
        index.Set(e with { Price = e.Price + 0.1m });
        index.Set(e);
        return index.Count;
    }

    private decimal NextMark() => 20_000m + (next++ % 7) * 0.1m;
}
