using MarginOrleans.Markets;
using Orleans.Streams;

namespace MarginOrleans.Baselines;

/// <summary>A position of a pattern run: a liquidation trigger in memory, liquidated once when a tick crosses it.</summary>
public sealed class BaselinePositionGrain : Grain, IBaselinePositionGrain
{
    private TriggerEntry? trigger;

    private IBaselineRunGrain Run => GrainFactory.GetGrain<IBaselineRunGrain>(BaselineStreams.RunOf(this.GetPrimaryKeyString()));

    public async Task Open(BaselinePattern pattern, TriggerEntry trigger)
    {
        this.trigger = trigger;
        if (pattern == BaselinePattern.Stream)
        {
            var stream = this.GetStreamProvider(BaselineStreams.Provider).GetStream<BaselineTick>(BaselineStreams.Of(BaselineStreams.RunOf(this.GetPrimaryKeyString())));
            await stream.SubscribeAsync((tick, _) => Check(tick));
        }
    }

    public Task Check(BaselineTick tick)
    {
        if (tick.Probe)
        {
            Run.Probed().Ignore();
        }

        if (trigger is { } t && (t.Direction == TriggerDirection.AtOrBelow ? tick.Mark <= t.Price : tick.Mark >= t.Price))
        {
            trigger = null;
            Run.Liquidated(tick.At).Ignore();
        }

        return Task.CompletedTask;
    }
}
