using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// An audit cut after it saved its progress, as when its silo dies, resumes there when asked again:
/// the accounts it counted are not asked again and every account is counted once; a progress older
/// than the audit's bound is a pass nobody waits for, and the next audit starts afresh. Three of the
/// eight accounts lie in the directory's first partition, the one counted before the cut.
/// </summary>
public sealed class AuditResumeTests
{
    private const int DirectoryPartitions = 16;

    [Fact]
    public async Task AnAuditCutAfterSavingItsProgress_ResumesThere_CountingEveryAccountOnce()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix, auditSavesEveryPartition: true);
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            var symbol = await trading.Market(20_000m);
            var (first, rest) = (Keys(inFirstPartition: true).Take(3).ToList(), Keys(inFirstPartition: false).Take(5).ToList());
            var accounts = new List<IAccountGrain>();
            foreach (var (key, i) in first.Concat(rest).Select((k, i) => (k, i)))
            {
                accounts.Add(await trading.Account(1_000m * (i + 1), key, RequestId()));
            }

            await Open(accounts[^1], symbol, PositionSide.Long, 1m, 10); // 8,000 deposited: an isolated margin in the count
            await trading.Quiet();
            var audit = cluster.GrainFactory.GetGrain<IAuditGrain>(Audits.Key);

            TestFaults.Instance.Arm(FaultPoints.AuditProgressSaved, Audits.Key);
            await Assert.ThrowsAsync<InjectedFault>(audit.Run);
            var resumed = await audit.Run();
            Assert.Equal((3, 8, 36_000m, 0m, true), (resumed.Resumed, resumed.Accounts, resumed.Deposits, resumed.Discrepancy, resumed.Consistent));
            Assert.Equal(0, (await audit.Run()).Resumed); // the finished audit's progress is gone

            TestFaults.Instance.Arm(FaultPoints.AuditProgressSaved, Audits.Key);
            await Assert.ThrowsAsync<InjectedFault>(audit.Run);
            TestClock.For(prefix).Advance(AuditGrain.ResumeWithin);
            var afresh = await audit.Run();
            Assert.Equal((0, 8, 36_000m, 0m), (afresh.Resumed, afresh.Accounts, afresh.Deposits, afresh.Discrepancy));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Fresh account ids whose directory row lies (or not) in the first partition.</summary>
    private static IEnumerable<string> Keys(bool inFirstPartition) =>
        Enumerable.Range(0, int.MaxValue).Select(_ => "acc-" + Guid.NewGuid().ToString("N")[..12])
            .Where(key => TriggerShards.Of(key, DirectoryPartitions) == 0 == inFirstPartition);
}
