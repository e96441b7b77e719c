using MarginOrleans.LoadTest;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// The load test's own run, small, against a two-silo cluster over Azurite: it must complete and
/// balance, with every position command (margin, orders, close, open again) before the walk.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LoadSmokeTests
{
    [Fact]
    public async Task ASmallLoadRun_LiquidatesAndJournalsEveryPosition_AndTheAuditBalances()
    {
        await ClusterFixture.With(2, async cluster =>
        {
            await using var target = new OrleansTarget(null, cluster.GrainFactory);
            var settings = new LoadSettings(Positions: 60, Concurrency: 8, TickIntervalMs: 0, TriggerShards: 4, SettleTimeout: TimeSpan.FromSeconds(60), IdleTicks: 20, PositionCommands: true);
            var report = await new LoadRun(target, settings, new Probes([], [])).Run(CancellationToken.None);

            Assert.Equal(Enum.GetValues<PositionStep>(), report.PositionSteps.Select(s => s.Step));
            Assert.All(report.PositionSteps, s => Assert.Equal(60, s.Commands));
            Assert.Equal(60, report.Fired); // the reopened longs, at their new liquidation prices
            Assert.False(double.IsNaN(report.IndexEmptySeconds), "every liquidation delivered before the settle timeout");
            Assert.Equal(0, report.Missing);
            Assert.Equal(0, report.NotExactlyOnce);
            Assert.Equal(0m, report.Discrepancy);
            Assert.True(report.LiquidationMs["p100"] > 0);
        });
    }
}
