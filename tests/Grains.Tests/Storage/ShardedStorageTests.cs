using Azure.Data.Tables;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// Rows spread over two storage accounts (two azurite-table processes): each account's, market's,
/// market bucket's of positions and trigger shard's rows lie in the one their key's hash picks, everything survives a restart, and a
/// silo configured with another number of accounts over existing data refuses to start.
/// </summary>
public sealed class ShardedStorageTests
{
    private static readonly string[] Connections = [Azurite.ConnectionString, Azurite.Second];

    private static string TwoAccounts => string.Join('\n', Connections);

    /// <summary>The hash is where data lies: these values never change (FNV-1a of the UTF-8 key, modulo N).</summary>
    [Fact]
    public void TheHash_IsStable()
    {
        Assert.Equal([0, 1, 0, 1, 1, 0], new[] { "acc-1", "acc-2", "acc-3", "acc-4", "BTC-USDT", "SOL-USDT" }.Select(k => StorageShard.Of(k, 2)));
        Assert.Equal(0, StorageShard.Of("acc-1", 1));
        Assert.Equal("acc-42", StorageShard.RoutingKey("acc-42/BTC-USDT"));
        Assert.Equal("BTC-USDT", StorageShard.RoutingKey("BTC-USDT"));
        Assert.Equal(["BTC-USDT.11", "BTC-USDT.10"], new[] { "acc-1/BTC-USDT", "acc-1/BTC-USDT/LONG" }.Select(PositionRows.Partition)); // a hedge leg's key holds its side
        Assert.Equal("acc-1%2FBTC-USDT%2FLONG", PositionRows.Row("acc-1/BTC-USDT/LONG"));
    }

    [Fact]
    public async Task AccountsAndMarkets_LandInBothStorageAccounts_EachInTheOneItsKeyPicks_AndSurviveARestart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        string[] accounts = ["acc-1", "acc-2", "acc-3", "acc-4"];
        string[] symbols = ["BTC-USDT", "SOL-USDT"];
        var open = RequestId();
        await Run(prefix, TwoAccounts, async grains =>
        {
            var trading = new Trading(grains);
            foreach (var symbol in symbols)
            {
                await trading.Market(20_000m, symbol);
            }

            foreach (var key in accounts)
            {
                var account = await trading.Account(10_000m, key, RequestId());
                Assert.Equal(7_990m, (await account.OpenPosition(key == "acc-1" ? open : RequestId(), new OpenOrder("BTC-USDT", PositionSide.Long, 1m, 10, null))).WalletBalance);
            }
        });

        // Account, journal and request rows; directory rows; positions' rows (by market bucket); Orleans' rows of markets (by symbol).
        Assert.Equal([["acc-1", "acc-3"], ["acc-2", "acc-4"]], await PerAccount(prefix, Tables.Journal, row => row.PartitionKey));
        Assert.Equal([["acc-1", "acc-3"], ["acc-2", "acc-4"]], await PerAccount(prefix, Tables.Accounts, row => row.RowKey));
        Assert.Equal(
            [["BTC-USDT.16 acc-2%2FBTC-USDT", "BTC-USDT.29 acc-3%2FBTC-USDT"], ["BTC-USDT.11 acc-1%2FBTC-USDT", "BTC-USDT.26 acc-4%2FBTC-USDT"]],
            await PerAccount(prefix, Tables.Positions, row => $"{row.PartitionKey} {row.RowKey}"));
        var grainRows = await PerAccount(prefix, "grains", row => row.PartitionKey);
        Assert.Equal(
            [["margin-tests_market_SOL-USDT"], ["margin-tests_market_BTC-USDT"]],
            grainRows.Select(rows => rows.Where(p => p.Contains("_isolatedposition_", StringComparison.Ordinal) || p.Contains("_market_", StringComparison.Ordinal)).ToList()));
        // The positions' liquidation entries lie in their rows, each naming its owner and shard: no trigger shard wrote a row.
        Assert.Equal(
            [["acc-2 " + TriggerShards.Of("acc-2", 4), "acc-3 " + TriggerShards.Of("acc-3", 4)], ["acc-1 " + TriggerShards.Of("acc-1", 4), "acc-4 " + TriggerShards.Of("acc-4", 4)]],
            await PerAccount(prefix, Tables.Positions, row => $"{row.GetString("LiqOwner")} {row.GetInt32("LiqShard")}"));
        Assert.Empty((await PerAccount(prefix, Tables.Triggers, row => row.PartitionKey)).SelectMany(t => t));

        await Run(prefix, TwoAccounts, async grains =>
        {
            foreach (var key in accounts)
            {
                var account = grains.GetGrain<IAccountGrain>(key);
                Assert.Equal(1m, (await account.GetPosition("BTC-USDT"))!.Quantity);
                Assert.Equal([JournalKind.Deposit, JournalKind.PositionOpened], (await account.GetJournal(1, 10)).Select(e => e.Kind));
            }

            Assert.Equal(7_990m, (await grains.GetGrain<IAccountGrain>("acc-1").OpenPosition(open, new OpenOrder("BTC-USDT", PositionSide.Long, 1m, 10, null))).WalletBalance); // the first reply
            Assert.Equal(4, (await grains.GetGrain<IAuditGrain>(Audits.Key).Run()).Accounts);

            // The restarted shards rebuilt the entries from the positions' rows in both accounts: a crossing mark liquidates all four.
            var trading = new Trading(grains);
            await trading.Price("BTC-USDT", 18_000m);
            foreach (var key in accounts)
            {
                var account = grains.GetGrain<IAccountGrain>(key);
                await trading.Settled(async () => (await account.GetJournal(1, 10)).Any(e => e.Kind == JournalKind.Liquidation), $"{key}'s liquidation");
            }

            await trading.AssertConserved();
        });
    }

    [Fact]
    public async Task ASiloWithOneStorageAccount_OverDataSpreadOverTwo_RefusesToStart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        await Run(prefix, TwoAccounts, async grains => await new Trading(grains).Account(100m, "acc-1", RequestId()));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ClusterFixture.Start(prefix, storage: Azurite.ConnectionString));
        Assert.Contains(
            "The stored data is spread over 2 storage account(s), but this silo is configured with 1 (Margin:StorageAccounts).",
            Messages(refused));
    }

    [Fact]
    public async Task ASiloWithTwoStorageAccounts_OverDataOfOne_RefusesToStart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        await Run(prefix, Azurite.ConnectionString, async grains => await new Trading(grains).Account(100m, "acc-1", RequestId()));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ClusterFixture.Start(prefix, storage: TwoAccounts));
        Assert.Contains("The stored data is spread over 1 storage account(s), but this silo is configured with 2 (Margin:StorageAccounts).", Messages(refused));
    }

    private static async Task Run(string prefix, string storage, Func<IGrainFactory, Task> body)
    {
        var cluster = await ClusterFixture.Start(prefix, storage: storage);
        try
        {
            await body(cluster.GrainFactory);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Each storage account's values of <paramref name="of"/> over a table's rows, distinct and in order.</summary>
    private static async Task<List<List<string>>> PerAccount(string prefix, string table, Func<TableEntity, string> of)
    {
        var found = new List<List<string>>();
        foreach (var connection in Connections)
        {
            var values = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var row in new TableServiceClient(connection).GetTableClient(prefix + table).QueryAsync<TableEntity>())
            {
                values.Add(of(row));
            }

            found.Add([.. values]);
        }

        return found;
    }

    private static string Messages(Exception e) => e.InnerException is { } inner ? e.Message + "\n" + Messages(inner) : e.Message;
}
