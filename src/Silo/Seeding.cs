using MarginOrleans.Markets;
using MarginOrleans.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Silo;

/// <summary>At start: registers the operator key and creates the default markets with a first mark (idempotent).</summary>
public sealed class Seeding(IGrainFactory grains, MarginOptions options, ILogger<Seeding> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.OperatorApiKey.Length > 0)
        {
            await grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(options.OperatorApiKey)).Assign(new Principal(Role.Operator, ""));
        }

        if (!options.SeedMarkets)
        {
            return;
        }

        foreach (var (spec, startPrice) in DefaultMarkets.All)
        {
            var market = grains.GetGrain<IMarketGrain>(spec.Symbol);
            if (await market.Create(spec) is { IsOk: true })
            {
                await market.PublishPrice(startPrice, startPrice);
                log.LogInformation("Seeded market {Symbol} at {Price}", spec.Symbol, startPrice);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
