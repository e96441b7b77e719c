using MarginOrleans.Markets;
using Orleans.Concurrency;

namespace MarginOrleans.Baselines;

/// <summary>
/// The peers' patterns for reaching positions with a tick, measured beside the trigger index on
/// the same positions in the same cluster. Not part of the engine: positions here
/// hold only a liquidation price in memory, so the figures compare how ticks reach them.
/// </summary>
public enum BaselinePattern
{
    /// <summary>Every position subscribed to its symbol's Orleans stream, checking each tick (the common Orleans pattern).</summary>
    Stream = 1,

    /// <summary>A daemon that checks every position on each tick (dYdX's liquidation daemon).</summary>
    Scan = 2,

    /// <summary>This engine's trigger index: only the positions a tick crosses are woken.</summary>
    Index = 3,
}

/// <summary>A tick as the patterns carry it; <see cref="At"/> starts the tick → liquidation clock; a probe asks every position to say it got here.</summary>
[GenerateSerializer, Immutable, Alias("BaselineTick")]
public sealed record BaselineTick([property: Id(0)] decimal Mark, [property: Id(1)] DateTimeOffset At, [property: Id(2)] bool Probe);

/// <summary>One position of a run, keyed <c>{run}/{n}</c>.</summary>
[Alias("IBaselinePositionGrain")]
public interface IBaselinePositionGrain : IGrainWithStringKey
{
    /// <summary>Takes a liquidation trigger; with <see cref="BaselinePattern.Stream"/> it subscribes to the run's stream.</summary>
    [Alias("Open")]
    Task Open(BaselinePattern pattern, TriggerEntry trigger);

    /// <summary>A tick delivered by a scan or an index wake-up: liquidates (once) when the mark crosses the trigger.</summary>
    [Alias("Check")]
    Task Check(BaselineTick tick);
}

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
