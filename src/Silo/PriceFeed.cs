using MarginOrleans.Feeds;
using MarginOrleans.Markets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Silo;

/// <summary>
/// Keeps a simulated feed running for every listed market: every silo asks each feed grain to
/// run, every few seconds, so a feed whose silo died is re-activated on a survivor within that time.
/// </summary>
public sealed class PriceFeed(IGrainFactory grains, MarginOptions options, TimeProvider time, ILogger<PriceFeed> log) : BackgroundService
{
    private static readonly TimeSpan KeepEvery = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.PriceFeed.IntervalMilliseconds);
        using var timer = new PeriodicTimer(KeepEvery, time);
        do
        {
            try
            {
                var symbols = await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List();
                await Task.WhenAll(symbols.Select(symbol => grains.GetGrain<IPriceFeedGrain>(symbol).Ensure(interval)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A silo is failing over (unavailable, rejected, timed out): the next round reaches
                // each feed wherever it lands. The keeper itself must never stop.
                log.LogDebug(e, "Price feed keeper round failed; retrying in {Interval}", KeepEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
