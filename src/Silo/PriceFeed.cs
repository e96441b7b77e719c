using MarginOrleans.Feeds;
using Microsoft.Extensions.Hosting;

namespace MarginOrleans.Silo;

/// <summary>
/// Keeps the default markets' simulated feeds running: every silo asks each feed grain to run,
/// every few seconds, so a feed whose silo died is re-activated on a survivor within that time.
/// </summary>
public sealed class PriceFeed(IGrainFactory grains, MarginOptions options) : BackgroundService
{
    private static readonly TimeSpan KeepEvery = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.PriceFeed.IntervalMilliseconds);
        using var timer = new PeriodicTimer(KeepEvery);
        do
        {
            try
            {
                await Task.WhenAll(DefaultMarkets.All.Select(m => grains.GetGrain<IPriceFeedGrain>(m.Spec.Symbol).Ensure(interval)));
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                // A silo is failing over; the next round reaches the feed wherever it lands.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
