using MarginOrleans.Markets;
using MarginOrleans.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Silo;

/// <summary>
/// After start, in the background: registers the operator key and creates the default markets
/// with a first mark. Every step is idempotent and retried until the cluster answers — after a
/// whole-cluster restart the first calls are rejected until the silos agree on membership, and a
/// failed seeding must never stop the silo (it used to exit the process). Ends on shutdown.
/// </summary>
public sealed class Seeding(IGrainFactory grains, MarginOptions options, TimeProvider time, ILogger<Seeding> log) : BackgroundService
{
    private readonly TaskCompletionSource seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every seeding step has answered: the host's start no longer waits for it.</summary>
    public Task Seeded => seeded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new StepRetry(StepRetry.FirstWait, StepRetry.LongestWait, time, log);
        try
        {
            await Seed(retry, stoppingToken);
            seeded.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping: seeding resumes on the next start.
            seeded.TrySetCanceled(stoppingToken);
        }
    }

    private async Task Seed(StepRetry retry, CancellationToken stop)
    {
        if (options.OperatorApiKey.Length > 0)
        {
            var key = grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(options.OperatorApiKey));
            await retry.Run("Assigning the operator key", () => key.Assign(new Principal(Role.Operator, "")), stop);
        }

        if (!options.SeedMarkets)
        {
            return;
        }

        foreach (var (spec, startPrice) in DefaultMarkets.All)
        {
            var market = grains.GetGrain<IMarketGrain>(spec.Symbol);
            await retry.Run($"Creating market {spec.Symbol}", () => market.Create(spec), stop);

            // Asked, not inferred from Create's answer: a create whose reply was lost is "already exists" on retry.
            var snapshot = await retry.Run($"Reading market {spec.Symbol}", market.GetSnapshot, stop);
            if (snapshot is { HasMark: false })
            {
                await retry.Run($"Publishing the first mark of {spec.Symbol}", () => market.PublishPrice(startPrice, startPrice), stop);
                log.LogInformation("Seeded market {Symbol} at {Price}", spec.Symbol, startPrice);
            }
        }
    }
}
