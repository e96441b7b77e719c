using MarginOrleans.Markets;
using Orleans.Concurrency;
using Orleans.Streams;

namespace MarginOrleans.Baselines;

/// <summary>
/// Drives one pattern run: a scan calls every position per tick, the index wakes only the crossed
/// ones (the engine's <see cref="TriggerIndex"/>, one-way, as a shard does), the stream publishes
/// once and lets every subscriber check. Reentrant: liquidation reports arrive while a tick runs.
/// </summary>
[Reentrant]
public sealed class BaselineRunGrain(TimeProvider time) : Grain, IBaselineRunGrain
{
    /// <summary>Calls a scan keeps in flight: enough to keep every silo busy, few enough not to flood the messaging.</summary>
    private const int ScanInFlight = 5_000;

    private readonly List<long> latencies = [];
    private readonly TriggerIndex index = new();
    private BaselinePattern pattern;
    private int positions;
    private int probed;
    private TaskCompletionSource? allProbed;

    private string RunId => this.GetPrimaryKeyString();

    public Task Start(BaselinePattern pattern, IReadOnlyList<TriggerEntry> triggers)
    {
        (this.pattern, positions) = (pattern, triggers.Count);
        if (pattern == BaselinePattern.Index)
        {
            foreach (var trigger in triggers)
            {
                index.Set(trigger);
            }
        }

        return Task.CompletedTask;
    }

    public async Task Tick(BaselineTick tick)
    {
        switch (pattern)
        {
            case BaselinePattern.Stream:
                await Stream.OnNextAsync(tick);
                break;
            case BaselinePattern.Scan:
                for (var first = 0; first < positions; first += ScanInFlight)
                {
                    await Task.WhenAll(Enumerable.Range(first, Math.Min(ScanInFlight, positions - first)).Select(n => Position(n).Check(tick)));
                }

                break;
            case BaselinePattern.Index:
                foreach (var owner in index.Fire(tick.Mark, time.GetUtcNow()))
                {
                    // A baseline position liquidates on any crossing, so its answer is known: drop the entry.
                    index.Remove(owner);
                    GrainFactory.GetGrain<IBaselinePositionGrain>(owner).Check(tick).Ignore();
                }

                break;
        }
    }

    public async Task Probe(decimal mark)
    {
        (probed, allProbed) = (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var done = allProbed.Task;
        await Stream.OnNextAsync(new BaselineTick(mark, time.GetUtcNow(), Probe: true));
        await done;
    }

    public Task Liquidated(DateTimeOffset tickAt)
    {
        latencies.Add((time.GetUtcNow() - tickAt).Ticks / TimeSpan.TicksPerMicrosecond);
        return Task.CompletedTask;
    }

    public Task Probed()
    {
        if (++probed == positions)
        {
            allProbed?.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<long>> Latencies() => Task.FromResult<IReadOnlyList<long>>([.. latencies]);

    private IAsyncStream<BaselineTick> Stream => this.GetStreamProvider(BaselineStreams.Provider).GetStream<BaselineTick>(BaselineStreams.Of(RunId));

    private IBaselinePositionGrain Position(int n) => GrainFactory.GetGrain<IBaselinePositionGrain>($"{RunId}/{n}");
}
