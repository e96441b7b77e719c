using MarginOrleans.Accounts;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// A request id the account's window has forgotten is still answered once: by its durable row, found
/// when the command's first batch tries to insert it again (against Azurite, and after a restart).
/// </summary>
public sealed class RequestIdsBeyondTheWindowTests
{
    /// <summary>
    /// The first deposit, withdrawal and isolated open of an account that then ran 140 commands,
    /// repeated: each gets its first reply, and under other arguments a refusal naming the id; the
    /// wallet, the journal, the position and the account's command count do not move — no second
    /// position and no second intent — on the cluster that ran them and on a new one over the same tables.
    /// </summary>
    [Fact]
    public async Task AnIdOlderThanTheWindow_GetsItsFirstReply_OrIsRefusedAsReused_ChangingNothing_AlsoAfterARestart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var ids = new Ids(RequestId(), RequestId(), RequestId());
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            var symbol = await new Trading(cluster.GrainFactory).Market(20_000m);
            var order = new OpenOrder(symbol, PositionSide.Long, 0.1m, 10, null);
            var account = cluster.GrainFactory.GetGrain<IAccountGrain>(key);
            Assert.True((await account.Create(RequestId())).Result.IsOk);
            CommandResult[] first = [await account.Deposit(ids.Deposit, 10_000m), await account.Withdraw(ids.Withdrawal, 100m), await account.OpenPosition(ids.Open, order)];
            Assert.All(first, f => Assert.True(f.Result.IsOk, f.Result.Detail));
            for (var i = 0; i < 140; i++)
            {
                Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
            }

            await RepeatChangesNothing(cluster, key, ids, order, first);
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();

            cluster = await ClusterFixture.Start(prefix);
            await RepeatChangesNothing(cluster, key, ids, order, first);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Past the window, an id whose answer kept no id is free: a malformed deposit's (no row was
    /// written) and one an older build kept with such a refusal (its row is there, so the claim
    /// finds it and the deposit runs again on the row's word) both go through fixed, once.
    /// </summary>
    [Fact]
    public async Task PastTheWindow_AnIdThatKeptNoAnswer_GoesThroughFixed_Once()
    {
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix());
        try
        {
            var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
            var account = await new Trading(cluster.GrainFactory).Account(1_000m, key, RequestId());
            for (var i = 0; i < 130; i++)
            {
                Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
            }

            var (malformed, older) = (RequestId(), RequestId());
            Assert.Equal(Rejection.AmountNotPositive, (await account.Deposit(malformed, 0m)).Result.Reason);
            Assert.Equal(1_140m, (await account.Deposit(malformed, 10m)).WalletBalance);

            var journal = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider.GetRequiredService<JournalStore>();
            await journal.Write(key, [], [new RequestRecord(older, "Deposit[20]", CommandResult.Refused(new Rejected(Rejection.MarkPriceMissing, "no mark yet"), 0m))]);
            var ran = await account.Deposit(older, 20m);
            Assert.Equal((Rejection.None, 1_160m), (ran.Result.Reason, ran.WalletBalance));
            Assert.Equal(1_160m, (await account.Deposit(older, 20m)).WalletBalance);
            Assert.Equal(1_140m, (await account.Deposit(malformed, 10m)).WalletBalance); // its first reply

            Assert.Equal(1_160m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal(133, (await account.GetJournal(1, 500)).Count);
            await new Trading(cluster.GrainFactory).AssertConserved();
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// An account past its window dies after the position applied an open whose intent claimed its
    /// id; after a restart the open is booked once, its wallet-side batch replaced the claim with the
    /// reply, and a retry once the window has forgotten the id again gets that reply, opening nothing.
    /// </summary>
    [Fact]
    public async Task PastTheWindow_ACrashAfterAClaimedIntent_ThenARestart_BooksTheOpenOnce()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var open = RequestId();
        OpenOrder order = null!;
        await ClusterFixture.Run(prefix, async grains =>
        {
            order = new OpenOrder(await new Trading(grains).Market(20_000m), PositionSide.Long, 0.1m, 10, null);
            var account = await new Trading(grains).Account(10_000m, key, RequestId());
            for (var i = 0; i < 130; i++)
            {
                Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
            }

            TestFaults.Instance.Arm(FaultPoints.PositionApplied, key);
            await Assert.ThrowsAsync<InjectedFault>(() => account.OpenPosition(open, order));
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            var first = await account.OpenPosition(open, order);
            Assert.True(first.Result.IsOk, first.Result.Detail);
            Assert.Equal(10_130m - 200m - 1m, first.WalletBalance);
            for (var i = 0; i < 130; i++)
            {
                Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
            }

            Assert.Equal(Answer(first), Answer(await account.OpenPosition(open, order)));
            Assert.Equal(0.1m, (await account.GetPosition(order.Symbol))!.Quantity);
            Assert.Equal(10_059m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal(262, (await account.GetJournal(1, 500)).Count);
            await new Trading(grains).AssertConserved();
        });
    }

    private static async Task RepeatChangesNothing(TestCluster cluster, string key, Ids ids, OpenOrder order, CommandResult[] first)
    {
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>(key);
        var before = await Figures(cluster, account, order.Symbol);

        Assert.Equal(Answer(first[0]), Answer(await account.Deposit(ids.Deposit, 10_000m)));
        Assert.Equal(Answer(first[1]), Answer(await account.Withdraw(ids.Withdrawal, 100m)));
        Assert.Equal(Answer(first[2]), Answer(await account.OpenPosition(ids.Open, order)));
        Assert.Equal($"request id {ids.Deposit} was already used for another command (Deposit): use a new id",
            Reused(await account.Deposit(ids.Deposit, 10_001m)));
        Assert.Equal($"request id {ids.Withdrawal} was already used for another command (Withdraw): use a new id",
            Reused(await account.Withdraw(ids.Withdrawal, 101m)));
        Assert.Equal($"request id {ids.Open} was already used for another command (OpenPosition): use a new id",
            Reused(await account.OpenPosition(ids.Open, order with { Quantity = 0.2m })));

        Assert.Equal(before, await Figures(cluster, account, order.Symbol));
        Assert.Equal((first[2].WalletBalance + 140m, 143, 1L, 0.1m), before);
        await new Trading(cluster.GrainFactory).AssertConserved();
    }

    /// <summary>The wallet, the journal's length, the isolated commands the account ever numbered (each an intent) and the position's size.</summary>
    private static async Task<(decimal Wallet, int Journal, long Commands, decimal Position)> Figures(TestCluster cluster, IAccountGrain account, string symbol)
    {
        var stored = new GrainState<AccountState>();
        var storage = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage);
        await storage.ReadStateAsync("account", account.GetGrainId(), stored);
        Assert.Null(stored.State!.Pending);
        Assert.Equal(stored.State.WalletBalance, (await account.GetAccount())!.WalletBalance);
        return (stored.State.WalletBalance, (await account.GetJournal(1, 500)).Count, stored.State.CommandSequence, (await account.GetPosition(symbol))!.Quantity);
    }

    private static (Rejected Result, decimal Wallet, decimal Fee, decimal Fill, decimal? Quantity) Answer(CommandResult r) =>
        (r.Result, r.WalletBalance, r.Fee, r.FillPrice, r.Position?.Quantity);

    private static string Reused(CommandResult r)
    {
        Assert.Equal(Rejection.RequestIdReused, r.Result.Reason);
        return r.Result.Detail;
    }

    private sealed record Ids(string Deposit, string Withdrawal, string Open);
}
