using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// An account's state, journal rows and request ids are one entity-group transaction of its journal
/// partition, under optimistic concurrency, and they survive a restart whole (against Azurite).
/// </summary>
public sealed class AccountBatchTests
{
    [Fact]
    public async Task ACommand_WritesStateJournalAndRequestRows_InTheAccountsPartition_AndAllSurviveARestart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var (deposit, withdrawal) = (RequestId(), RequestId());
        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            Assert.True((await account.Create(RequestId())).Result.IsOk);
            Assert.True((await account.Deposit(deposit, 1_000m)).Result.IsOk);
            Assert.True((await account.Withdraw(withdrawal, 250m)).Result.IsOk);
        });

        var rows = new List<string>();
        await foreach (var row in Journal(prefix).QueryAsync<TableEntity>(e => e.PartitionKey == key))
        {
            rows.Add(row.RowKey);
        }

        Assert.Equal(
            new[] { "!account", RequestRow(deposit), RequestRow(withdrawal), "0000000000000000001", "0000000000000000002" }.Order(StringComparer.Ordinal),
            rows.Order(StringComparer.Ordinal));

        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            Assert.Equal(750m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal([JournalKind.Deposit, JournalKind.Withdrawal], (await account.GetJournal(1, 10)).Select(e => e.Kind));
            Assert.Equal(1_000m, (await account.Deposit(deposit, 1_000m)).WalletBalance); // the first reply, moving nothing
            Assert.Equal(Rejection.RequestIdReused, (await account.Deposit(withdrawal, 250m)).Result.Reason);
            Assert.Equal(750m, (await account.GetAccount())!.WalletBalance);
            await new Trading(grains).AssertConserved();
        });
    }

    /// <summary>Two writers of one account's state from the same read: the first wins, the second is refused and changes nothing.</summary>
    [Fact]
    public async Task TwoWritersFromOneRead_TheSecondIsRefused()
    {
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix());
        try
        {
            var account = cluster.GrainFactory.GetGrain<IAccountGrain>("acc-" + Guid.NewGuid().ToString("N")[..12]);
            Assert.True((await account.Create(RequestId())).Result.IsOk);
            var storage = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage);
            var (first, second) = (new GrainState<AccountState>(), new GrainState<AccountState>());
            await storage.ReadStateAsync("account", account.GetGrainId(), first);
            await storage.ReadStateAsync("account", account.GetGrainId(), second);

            first.State!.WalletBalance = first.State.Deposits = 10m;
            await storage.WriteStateAsync("account", account.GetGrainId(), first);
            second.State!.WalletBalance = second.State.Deposits = 20m;
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("account", account.GetGrainId(), second));

            var stored = new GrainState<AccountState>();
            await storage.ReadStateAsync("account", account.GetGrainId(), stored);
            Assert.Equal((10m, first.ETag), (stored.State!.WalletBalance, stored.ETag));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// State stored before accounts had their batch lives in Orleans' rows: read through once, its
    /// journal rows left unwritten written at that read, and moved to the account's partition with its next write.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StateStoredBefore_IsReadThrough_AndMovesWithTheNextWrite(bool layoutRecordedBefore)
    {
        // An installation that held grain rows at its layout's first start, or whose layout was recorded
        // before that was noted: either may hold account state in Orleans' rows.
        var prefix = ClusterFixture.NewTablePrefix();
        var earlier = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + (layoutRecordedBefore ? StorageLayout.Table : Tables.Grains));
        await earlier.CreateIfNotExistsAsync();
        await earlier.AddEntityAsync(layoutRecordedBefore
            ? new TableEntity("layout", "storage-accounts") { ["Count"] = 1 }
            : new TableEntity("a-grain-from-before", "state"));
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
            var account = cluster.GrainFactory.GetGrain<IAccountGrain>(key);
            var services = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider;
            var before = new AccountState { Created = true, WalletBalance = 500m, Deposits = 500m, JournalSequence = 1, JournaledWallet = 500m };
            before.UnwrittenJournal.Add(new JournalEntry(1, DateTimeOffset.UnixEpoch, JournalKind.Deposit, "", 0m, 0m, 500m, 0m, 0m, 500m, "old-deposit"));
            await services.GetRequiredKeyedService<IGrainStorage>("margin-rows").WriteStateAsync("account", account.GetGrainId(), new GrainState<AccountState> { State = before });

            Assert.Equal(500m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal(500m, Assert.Single(await account.GetJournal(1, 10)).WalletDelta);
            Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);

            var moved = new GrainState<AccountState>();
            await services.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage).ReadStateAsync("account", account.GetGrainId(), moved);
            Assert.Equal((501m, 2L, 0), (moved.State!.WalletBalance, moved.State.JournalSequence, moved.State.UnwrittenJournal.Count));
            Assert.Equal(2, (await account.GetJournal(1, 10)).Count);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// The position applied an open and the account died before its wallet side (its second batch);
    /// every silo then restarts: the acknowledged deposit is there, the open is booked once, its retry
    /// answers the first result, and money is conserved.
    /// </summary>
    [Fact]
    public async Task ACrashBetweenTheIntentAndTheWalletSide_ThenARestart_LosesNothingAcknowledged()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var (deposit, open) = (RequestId(), RequestId());
        string symbol = "";
        OpenOrder order = null!;
        await ClusterFixture.Run(prefix, async grains =>
        {
            symbol = await new Trading(grains).Market(20_000m);
            order = new OpenOrder(symbol, PositionSide.Long, 1m, 10, null);
            var account = grains.GetGrain<IAccountGrain>(key);
            Assert.True((await account.Create(RequestId())).Result.IsOk);
            Assert.True((await account.Deposit(deposit, 10_000m)).Result.IsOk);
            TestFaults.Instance.Arm(FaultPoints.PositionApplied, key);
            await Assert.ThrowsAsync<InjectedFault>(() => account.OpenPosition(open, order));
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            var retried = await account.OpenPosition(open, order);
            Assert.True(retried.Result.IsOk, retried.Result.Detail);
            Assert.Equal(7_990m, retried.WalletBalance);
            Assert.Equal(10_000m, (await account.Deposit(deposit, 10_000m)).WalletBalance); // the first reply
            Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
            Assert.Equal([JournalKind.Deposit, JournalKind.PositionOpened], (await account.GetJournal(1, 10)).Select(e => e.Kind));
            await new Trading(grains).AssertConserved();
        });
    }

    /// <summary>
    /// More rows than one batch holds: 99 go with the state, whose row lists the other 51 as unwritten
    /// (written just after it, and again by a reader before the next write); all are stored.
    /// </summary>
    [Fact]
    public async Task AWriteOfMoreRowsThanABatchHolds_StoresThemAll()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
            var grainId = cluster.GrainFactory.GetGrain<IAccountGrain>(key).GetGrainId();
            var storage = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage);
            var state = new AccountState { Created = true, WalletBalance = 150m, Deposits = 150m, JournalSequence = 150, JournaledWallet = 150m };
            for (var n = 1; n <= 150; n++)
            {
                state.UnwrittenJournal.Add(new JournalEntry(n, DateTimeOffset.UnixEpoch, JournalKind.Deposit, "", 0m, 0m, 1m, 0m, 0m, n, $"d{n}"));
            }

            await storage.WriteStateAsync("account", grainId, new GrainState<AccountState> { State = state });

            var rows = 0;
            await foreach (var _ in Journal(prefix).QueryAsync<TableEntity>(e => e.PartitionKey == key))
            {
                rows++;
            }

            Assert.Equal(151, rows);
            var back = new GrainState<AccountState>();
            await storage.ReadStateAsync("account", grainId, back);
            Assert.Equal((150m, 100L), (back.State!.WalletBalance, back.State.UnwrittenJournal[0].Sequence));
            Assert.Equal(51, back.State.UnwrittenJournal.Count);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static TableClient Journal(string prefix) => new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + "journal");

    private static string RequestRow(string requestId) => "!request:" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(requestId));
}
