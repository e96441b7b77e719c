using MarginOrleans.Feeds;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

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

            // Polls, on the real clock: the feeds run on real time and a killed silo's feeds move when membership says so.
            var started = DateTimeOffset.UtcNow;
            await Eventually(() => AllMarkedAfter(trading, symbols, started), "every feed's first steps", seconds: 30);
            var hosting = await ShardedCascadeTests.SilosHosting(cluster, nameof(PriceFeedGrain));
            var victim = cluster.SecondarySilos.FirstOrDefault(s => hosting.Contains(s.SiloAddress));
            Assert.NotNull(victim);

            await cluster.KillSiloAsync(victim);
            await cluster.WaitForLivenessToStabilizeAsync();
            var killed = DateTimeOffset.UtcNow;
            await Eventually(() => AllMarkedAfter(trading, symbols, killed), "every feed publishing again", seconds: 60);
        }, priceFeedMilliseconds: 200);
    }

    private static async Task<bool> AllMarkedAfter(Trading trading, List<string> symbols, DateTimeOffset time)
    {
        var markets = await Task.WhenAll(symbols.Select(s => trading.Grains.GetGrain<IMarketGrain>(s).GetSnapshot()));
        return markets.All(m => m!.MarkTime > time);
    }
}
