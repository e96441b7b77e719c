using MarginOrleans.Markets;
using Microsoft.Extensions.Hosting;

namespace MarginOrleans.Silo;

/// <summary>
/// A simulated mark feed for local use: each market's mark walks up to ±20 ticks per interval.
/// Whole ticks keep every mark valid and decimal; an external feeder calls PublishPrice instead.
/// </summary>
public sealed class PriceFeed(IGrainFactory grains, MarginOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.PriceFeed.IntervalMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (spec, _) in DefaultMarkets.All)
            {
                var market = grains.GetGrain<IMarketGrain>(spec.Symbol);
                if (await market.GetSnapshot() is { HasMark: true } snapshot)
                {
                    var next = Math.Max(spec.TickSize, snapshot.MarkPrice + Random.Shared.Next(-20, 21) * spec.TickSize * Scale(snapshot.MarkPrice, spec.TickSize));
                    await market.PublishPrice(next, next);
                }
            }
        }
    }

    /// <summary>Ticks per step so that a step is about 0.002% of the price: the walk looks alike on every market.</summary>
    private static decimal Scale(decimal price, decimal tick) => Math.Max(1m, Math.Floor(price / tick / 50_000m));
}
