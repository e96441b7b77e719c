using MarginOrleans.Markets;
using MarginOrleans.Placement;
using Orleans.Placement;

namespace MarginOrleans.Feeds;

/// <summary>
/// Walks a market's mark up to ±20 ticks per interval. Whole ticks keep every mark valid and
/// decimal; an external feeder calls PublishPrice instead. Kept alive by the silos' keepers.
/// </summary>
[OnSiloRole(SiloRoles.Markets)]
[RandomPlacement] // feeds spread over the silos, so one silo's death stops only some, briefly
public sealed class PriceFeedGrain : Grain, IPriceFeedGrain
{
    private IGrainTimer? timer;

    public Task Ensure(TimeSpan interval)
    {
        timer ??= this.RegisterGrainTimer(Step, interval, interval);
        return Task.CompletedTask;
    }

    private async Task Step()
    {
        var market = GrainFactory.GetGrain<IMarketGrain>(this.GetPrimaryKeyString());
        if (await market.GetSnapshot() is { HasMark: true } snapshot)
        {
            var tick = snapshot.Spec.TickSize;
            var next = Math.Max(tick, snapshot.MarkPrice + Random.Shared.Next(-20, 21) * tick * Scale(snapshot.MarkPrice, tick));
            await market.PublishPrice(next, next);
        }
    }

    /// <summary>Ticks per step so that a step is about 0.002% of the price: the walk looks alike on every market.</summary>
    private static decimal Scale(decimal price, decimal tick) => Math.Max(1m, Math.Floor(price / tick / 50_000m));
}
