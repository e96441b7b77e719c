using MarginOrleans.Markets;

namespace MarginOrleans.Baselines;

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
