using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Funding;

/// <summary>
/// A whole-cluster restart, a funding time while it was down, then every acknowledged command sent
/// again with its request id: each answers as it did the first time and moves nothing, and the only
/// wallet move — the funding payment — is in the journal. (In the collection of the funding tests:
/// each cluster here runs on its prefix's <see cref="TestClock"/>.)
/// </summary>
[Collection(FundingCollection.Name)]
public sealed class ReplayAfterRestartTests
{
    [Fact]
    public async Task ReplayedCommandsAnswerAsTheFirstTime_AndEveryWalletMoveSinceIsJournaled()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var symbol = NewSymbol();
        var accountId = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var commands = new List<(Func<IAccountGrain, Task<CommandResult>> Send, CommandResult First)>();
        decimal walletBefore;
        long journalBefore;

        var before = await ClusterFixture.Start(prefix);
        try
        {
            var created = await before.GrainFactory.GetGrain<IMarketGrain>(symbol).Create(
                new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, Funding: new FundingSpec((int)FundingCluster.Interval.TotalSeconds)));
            Assert.True(created.IsOk, created.Detail);
            TestClock.For(prefix).AdvanceToNext(FundingCluster.Interval);
            await new Trading(before.GrainFactory).Price(symbol, 20_000m);

            var account = before.GrainFactory.GetGrain<IAccountGrain>(accountId);
            Assert.True((await account.Create(RequestId())).Result.IsOk);
            foreach (var send in Commands(symbol))
            {
                var first = await send(account);
                Assert.True(first.Result.IsOk, first.Result.Detail);
                commands.Add((send, first));
            }

            (walletBefore, journalBefore) = ((await account.GetAccount())!.WalletBalance, (await account.GetAccount())!.JournalSequence);
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        TestClock.For(prefix).AdvanceToNext(FundingCluster.Interval);
        var restarted = await ClusterFixture.Start(prefix);
        try
        {
            var grains = restarted.GrainFactory;
            var trading = new Trading(grains);
            await trading.Price(symbol, 20_000m); // pays the funding time that passed while the cluster was down
            var account = grains.GetGrain<IAccountGrain>(accountId);

            foreach (var (send, first) in commands)
            {
                Assert.Equal(first, await send(account));
            }

            var after = (await account.GetAccount())!.WalletBalance;
            var since = (await account.GetJournal(journalBefore + 1, 100)).ToList();
            Assert.Equal(-2m, Assert.Single(since, e => e.Kind == JournalKind.Funding).WalletDelta); // 1 BTC × 20,000 × 0.01%
            Assert.Equal(after - walletBefore, since.Sum(e => e.WalletDelta));
            Assert.Equal(after, since[^1].WalletBalance);
            await trading.AssertConserved();
        }
        finally
        {
            await restarted.StopAllSilosAsync();
            await restarted.DisposeAsync();
        }
    }

    /// <summary>Every kind of command a trader sends, each under a request id fixed here so it can be sent again.</summary>
    private static IEnumerable<Func<IAccountGrain, Task<CommandResult>>> Commands(string symbol)
    {
        var ids = Enumerable.Range(0, 6).Select(_ => RequestId()).ToArray();
        yield return a => a.Deposit(ids[0], 10_000m);
        yield return a => a.SetMarginMode(ids[1], symbol, MarginMode.Cross);
        yield return a => a.OpenPosition(ids[2], new OpenOrder(symbol, PositionSide.Long, 1.5m, 10, null));
        yield return a => a.SetTakeProfitStopLoss(ids[3], symbol, 25_000m, 15_000m);
        yield return a => a.ClosePosition(ids[4], symbol, 0.5m);
        yield return a => a.Withdraw(ids[5], 100m);
    }
}
