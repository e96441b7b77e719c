using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Cluster.ShardedCascadeTests;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// A cluster that gives its markets a silo of their own (Margin:Role "markets"): the tick path —
/// markets and their trigger shards — lands there, and accounts, positions and funds on the other
/// silo, so a cascade's liquidations never queue on the cores that answer ticks.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloRolesTests
{
    [Fact]
    public async Task WithAMarketSilo_TheTickPathLiesThere_TheLiquidationsOnTheOther()
    {
        await ClusterFixture.With(2, async cluster =>
        {
            var (markets, trading) = (cluster.SecondarySilos[0].SiloAddress, cluster.Primary!.SiloAddress);
            var engine = new Trading(cluster.GrainFactory);
            var opened = new List<(string Symbol, IAccountGrain Account)>();
            for (var i = 0; i < 4; i++)
            {
                var symbol = await engine.Market(20_000m);
                var account = await engine.Account(10_000m);
                await Open(account, symbol, PositionSide.Long, 1m, 10); // LP 18,072.29
                opened.Add((symbol, account));
            }

            // Four markets with four shards each, four accounts and positions: by chance alone all on their side 1 in 2^24.
            Assert.Equal([markets], await SilosHosting(cluster, nameof(MarketGrain)));
            Assert.Equal([markets], await SilosHosting(cluster, nameof(TriggerShardGrain)));
            Assert.Equal([trading], await SilosHosting(cluster, nameof(AccountGrain)));
            Assert.Equal([trading], await SilosHosting(cluster, nameof(IsolatedPositionGrain)));

            foreach (var (symbol, _) in opened)
            {
                Assert.Equal(1, (await engine.Price(symbol, 18_072.2m)).Fired);
            }

            await engine.Settled(async () => (await Task.WhenAll(opened.Select(o => o.Account.GetPosition(o.Symbol)))).All(p => p is null), "every liquidation");
            Assert.Equal([trading], await SilosHosting(cluster, nameof(InsuranceFundGrain)));
            await engine.AssertConserved();
        }, marketSilo: "Secondary_1");
    }
}
