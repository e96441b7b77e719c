using System.Diagnostics;
using HdrHistogram;
using MarginOrleans.Baselines;
using MarginOrleans.Markets;

namespace MarginOrleans.LoadTest;

/// <summary>
/// How ticks reach positions, three ways, on the same cluster in the same run — every
/// position subscribed to a stream, a daemon scanning every position, and the trigger index waking
/// only the crossed ones. Per size and pattern: ticks/s fully delivered while nothing is crossed,
/// then a walk crossing 1% of the positions per tick, tick → liquidation latency.
/// </summary>
public sealed class PatternsRun(IGrainFactory grains, int concurrency, int idleTicks, TimeSpan timeout)
{
    private const int WalkSteps = 100;

    /// <summary>Idle ticks run at least this long (a tenth of a second of ticks is one GC pause from noise) and at most <see cref="IdleAtMost"/>.</summary>
    private static readonly TimeSpan IdleAtLeast = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleAtMost = TimeSpan.FromSeconds(60);

    public async Task<List<PatternFigures>> Run(IReadOnlyList<int> sizes, CancellationToken cancel)
    {
        var figures = new List<PatternFigures>();
        var failedAt = new Dictionary<BaselinePattern, int>();
        foreach (var size in sizes.Order())
        {
            // The stream last: its subscriptions are the slowest to set up and may outlive a timeout.
            foreach (var pattern in new[] { BaselinePattern.Index, BaselinePattern.Scan, BaselinePattern.Stream })
            {
                if (failedAt.TryGetValue(pattern, out var smaller))
                {
                    figures.Add(PatternFigures.Unfinished(pattern, size, $"not tried: unfinished at {smaller:N0}"));
                    continue;
                }

                Console.WriteLine($"pattern {pattern}, {size:N0} positions …");
                var figure = await One(pattern, size, cancel);
                figures.Add(figure);
                if (figure.Note.Length > 0)
                {
                    failedAt[pattern] = size;
                }
            }
        }

        return figures;
    }

    private async Task<PatternFigures> One(BaselinePattern pattern, int size, CancellationToken cancel)
    {
        var run = $"{pattern}-{size}-{Guid.NewGuid():N}"[..24];
        var driver = grains.GetGrain<IBaselineRunGrain>(run);

        // Long positions whose liquidation prices spread over 19,000–19,999.9: the walk below crosses 1% per tick.
        var triggers = Enumerable.Range(0, size)
            .Select(n => new TriggerEntry($"{run}/{n}", TriggerDirection.AtOrBelow, 19_000m + n % 10_000 * 0.1m)).ToList();
        var clock = Stopwatch.StartNew();
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        setup.CancelAfter(timeout); // stops issuing calls, so an unfinished setup does not load the next measurement
        try
        {
            await Parallel.ForEachAsync(triggers, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = setup.Token },
                async (trigger, _) => await grains.GetGrain<IBaselinePositionGrain>(trigger.Owner).Open(pattern, trigger));
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return PatternFigures.Unfinished(pattern, size, $"setting up {size:N0} positions took over {timeout.TotalSeconds:N0} s");
        }

        await driver.Start(pattern, triggers);
        var setupSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var ticks = 0;
        // A stream tick only enqueues: its rate is measured at the probe, over exactly idleTicks ticks.
        var atLeast = pattern == BaselinePattern.Stream ? TimeSpan.Zero : IdleAtLeast;
        while ((ticks < idleTicks || clock.Elapsed < atLeast) && (clock.Elapsed < IdleAtMost || ticks < 5))
        {
            await driver.Tick(new BaselineTick(20_000m + ticks % 100 * 0.1m, DateTimeOffset.UtcNow, Probe: false));
            ticks++;
        }

        if (pattern == BaselinePattern.Stream)
        {
            await driver.Probe(20_000m).WaitAsync(timeout, cancel); // published ticks are queued: wait until every subscriber had them all
        }

        var ticksPerSecond = ticks / clock.Elapsed.TotalSeconds;

        clock.Restart();
        for (var step = 1; step <= WalkSteps; step++)
        {
            await driver.Tick(new BaselineTick(20_000m - step * 10m, DateTimeOffset.UtcNow, Probe: false));
        }

        IReadOnlyList<long> latencies = [];
        while ((latencies = await driver.Latencies()).Count < size && clock.Elapsed < timeout)
        {
            await Task.Delay(50, cancel);
        }

        var walkSeconds = clock.Elapsed.TotalSeconds;
        var histogram = new LongHistogram(TimeStamp.Hours(1), 3);
        foreach (var microseconds in latencies)
        {
            histogram.RecordValue(microseconds);
        }

        return new PatternFigures(pattern, size, setupSeconds, ticksPerSecond, walkSeconds, latencies.Count,
            histogram.GetValueAtPercentile(50) / 1000d, histogram.GetValueAtPercentile(99) / 1000d, histogram.GetMaxValue() / 1000d, "");
    }
}

/// <summary>One pattern at one size: setup, idle ticks/s, the walk's wall time and tick → liquidation latency (ms).</summary>
public sealed record PatternFigures(
    BaselinePattern Pattern, int Positions, double SetupSeconds, double IdleTicksPerSecond, double WalkSeconds,
    int Liquidated, double P50Ms, double P99Ms, double MaxMs, string Note)
{
    public static PatternFigures Unfinished(BaselinePattern pattern, int positions, string note) =>
        new(pattern, positions, double.NaN, double.NaN, double.NaN, 0, double.NaN, double.NaN, double.NaN, note);
}
