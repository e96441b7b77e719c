using MarginOrleans.Feeds;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// Nothing cluster-wide lives in one silo's process. The simulated feeds are grains that
/// every silo keeps running; when the silo holding some of them dies, they go on from a survivor.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PriceFeedFailoverTests
{
    [Fact]
    public async Task EveryMarketsFeed_KeepsPublishing_AfterTheSiloHoldingItDies()
    {
        await ShardedCascadeTests.WithCluster(async (cluster, trading) =>
        {
            var symbols = new List<string>();
            for (var i = 0; i < 12; i++)
            {
                symbols.Add(await trading.Market(20_000m));
            }

            // On the real clock: the feeds run on real time, and a killed silo's feeds move when membership says so.
            // Each step a feed takes is a PublishPrice its market answers: the signal waited on.
            var activity = EngineActivity.Of(trading.Grains);
            await Published(activity, symbols, "every feed's first steps");
            var hosting = await ShardedCascadeTests.SilosHosting(cluster, nameof(PriceFeedGrain));
            var victim = cluster.SecondarySilos.FirstOrDefault(s => hosting.Contains(s.SiloAddress));
            Assert.NotNull(victim);

            await cluster.KillSiloAsync(victim);
            await cluster.WaitForLivenessToStabilizeAsync();
            await Published(activity, symbols, "every feed publishing again");
        }, priceFeedMilliseconds: 200);
    }

    /// <summary>Every market's next PublishPrice answered, within a minute of real time.</summary>
    private static Task Published(EngineActivity activity, List<string> symbols, string what) =>
        Trading.Within(Task.WhenAll(symbols.Select(symbol => activity.Answered(symbol, nameof(IMarketGrain.PublishPrice)))), what);
}
