using MarginOrleans.Tests.Support;
using Orleans.Runtime;
using Orleans.TestingHost;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// A market's trigger index is split into shard grains spread over a three-silo cluster.
/// One tick crossing entries in every shard liquidates every position; a silo holding shards
/// killed in the middle of that cascade loses no liquidation and moves no money twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShardedCascadeTests
{
    private const int Shards = 8;

    [Fact]
    public async Task ATickCrossingEveryShard_LiquidatesEveryPosition_WithShardsOnSeveralSilos()
    {
        await WithCluster(async (cluster, trading) =>
        {
            var (symbol, opened) = await OpenAcrossShards(trading);
            Assert.True((await SilosHosting(cluster, nameof(TriggerShardGrain))).Count >= 2, "the shards sit on at least two silos");

            Assert.Equal(opened.Count, (await trading.Price(symbol, 18_072.2m)).Fired);
            await trading.Settled(() => AllLiquidated(symbol, opened), "every liquidation");
            await trading.AssertConserved();
        });
    }

    [Fact]
    public async Task ASiloHoldingShards_KilledMidCascade_LosesNoLiquidation()
    {
        await WithCluster(async (cluster, trading) =>
        {
            var (symbol, opened) = await OpenAcrossShards(trading);
            var hosting = await SilosHosting(cluster, nameof(TriggerShardGrain));
            var victim = cluster.SecondarySilos.FirstOrDefault(s => hosting.Contains(s.SiloAddress));
            Assert.NotNull(victim);

            await trading.Price(symbol, 18_072.2m);
            await cluster.KillSiloAsync(victim);
            await cluster.WaitForLivenessToStabilizeAsync();

            // The feed goes on publishing: a shard re-activated on a survivor rebuilds from its rows and fires.
            var journal = new JournalWatch(cluster.Client);
            var liquidated = Task.WhenAll(opened.Select(account => journal.Row(account, e => e.Kind == JournalKind.Liquidation)));
            await trading.Price(symbol, 18_072.1m);
            await Trading.Within(liquidated, "every liquidation journaled"); // the survivor takes the shards over on membership's real time
            Assert.True(await AllLiquidated(symbol, opened));
            await trading.AssertConserved();
        }, systemClock: true); // a killed silo's messages are lost, not handled: the engine never goes quiet, so this one waits on journal rows
    }

    /// <summary>Longs at 20,000 (LP 18,072.29) whose account ids hash to every shard, at least two each.</summary>
    private static async Task<(string Symbol, List<IAccountGrain> Opened)> OpenAcrossShards(Trading trading)
    {
        var symbol = NewSymbol();
        Assert.True((await trading.Grains.GetGrain<IMarketGrain>(symbol).Create(
            new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, MarginOrleans.Silo.DefaultMarkets.Brackets, Shards))).IsOk);
        await trading.Price(symbol, 20_000m);
        var opened = new List<IAccountGrain>();
        var perShard = new int[Shards];
        while (perShard.Min() < 2)
        {
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            perShard[TriggerShards.Of(account.GetPrimaryKeyString(), Shards)]++;
            opened.Add(account);
        }

        return (symbol, opened);
    }

    private static async Task<bool> AllLiquidated(string symbol, List<IAccountGrain> opened)
    {
        foreach (var account in opened)
        {
            if (await account.GetPosition(symbol) is not null || !(await account.GetJournal(1, 20)).Any(e => e.Kind == JournalKind.Liquidation))
            {
                return false;
            }
        }

        return true;
    }

    internal static async Task<List<SiloAddress>> SilosHosting(TestCluster cluster, string grainType)
    {
        var hosts = new List<SiloAddress>();
        foreach (var silo in cluster.GetActiveSilos().Select(s => s.SiloAddress))
        {
            var statistics = await cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo]);
            if (statistics.Any(s => s.GrainType.Contains(grainType, StringComparison.Ordinal) && s.ActivationCount > 0))
            {
                hosts.Add(silo);
            }
        }

        return hosts;
    }

    internal static Task WithCluster(Func<TestCluster, Trading, Task> body, int priceFeedMilliseconds = 0, bool systemClock = false) =>
        // A running feed is real time passing (its keeper re-activates feeds lost with a silo): on the real clock.
        ClusterFixture.With(3, cluster => body(cluster, new Trading(cluster.GrainFactory)), priceFeedMilliseconds, systemClock: systemClock || priceFeedMilliseconds > 0);
}
