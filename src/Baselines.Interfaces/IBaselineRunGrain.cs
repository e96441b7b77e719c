using MarginOrleans.Markets;
using Orleans.Concurrency;

namespace MarginOrleans.Baselines;

/// <summary>The run's driver, keyed by run: delivers ticks by its pattern and collects the liquidations.</summary>
[Alias("IBaselineRunGrain")]
public interface IBaselineRunGrain : IGrainWithStringKey
{
    /// <summary>Positions <c>{run}/0</c> … <c>{run}/{count − 1}</c> exist (the scan and the index need to know them).</summary>
    [Alias("Start")]
    Task Start(BaselinePattern pattern, IReadOnlyList<TriggerEntry> triggers);

    /// <summary>One tick; returns once it is fully delivered (stream: once published — see <see cref="Probe"/>).</summary>
    [Alias("Tick")]
    Task Tick(BaselineTick tick);

    /// <summary>Publishes a probe tick and returns once every position has seen it (stream ticks are queued, not awaited).</summary>
    [Alias("Probe")]
    Task Probe(decimal mark);

    [OneWay, Alias("Liquidated")]
    Task Liquidated(DateTimeOffset tickAt);

    [OneWay, Alias("Probed")]
    Task Probed();

    /// <summary>Microseconds from each liquidating tick to its liquidation, in arrival order.</summary>
    [Alias("Latencies")]
    Task<IReadOnlyList<long>> Latencies();
}
