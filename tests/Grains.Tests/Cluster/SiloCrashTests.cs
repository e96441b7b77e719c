using MarginOrleans.Tests.Support;
using Orleans.Runtime;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// The trigger index survives a silo crash. Two silos, eight markets with a position
/// each (so markets and positions are spread over both); one silo is killed without warning;
/// every position must still be liquidated by the marks that cross it, and no money moves twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloCrashTests
{
    [Fact]
    public async Task AfterASiloIsKilled_TheSurvivorStillLiquidatesEveryPosition()
    {
        // On the real clock, waiting on journal rows: a killed silo's messages are lost, not handled, so the
        // engine never goes quiet, and its work reaches the survivor when membership (real time) says it died.
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), silos: 2, systemClock: true);
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            var opened = new List<(string Symbol, IAccountGrain Account)>();
            var victim = cluster.SecondarySilos[0];
            while (opened.Count < 8 || !await HostsAMarket(cluster, victim.SiloAddress))
            {
                Assert.True(opened.Count < 40, "no market was placed on the second silo");
                var symbol = await trading.Market(20_000m);
                var account = await trading.Account(10_000m);
                await Open(account, symbol, PositionSide.Long, 1m, 10);       // LP 18,072.29
                opened.Add((symbol, account));
            }

            await cluster.KillSiloAsync(victim);
            await cluster.WaitForLivenessToStabilizeAsync();

            var journal = new JournalWatch(cluster.Client);
            var liquidated = Task.WhenAll(opened.Select(o => journal.Row(o.Account, e => e.Kind == JournalKind.Liquidation && e.Symbol == o.Symbol)));
            foreach (var (symbol, _) in opened)
            {
                await trading.Price(symbol, 18_072.2m);
            }

            await Trading.Within(liquidated, "every liquidation journaled");
            foreach (var (symbol, account) in opened)
            {
                Assert.Null(await account.GetPosition(symbol));
            }

            await trading.AssertConserved();
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task<bool> HostsAMarket(Orleans.TestingHost.TestCluster cluster, SiloAddress silo)
    {
        var statistics = await cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo]);
        return statistics.Any(s => s.GrainType.Contains(nameof(MarketGrain), StringComparison.Ordinal) && s.ActivationCount > 0);
    }
}
