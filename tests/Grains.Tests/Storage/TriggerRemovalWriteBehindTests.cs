using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Positions;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A trigger shard answers a removal before its row's delete is stored (the delete rides on the
/// shard's next batch): a silo that dies in between leaves the row, which after the restart wakes
/// its owner once more; the owner, holding nothing, removes it again, and no money moves twice; a
/// silo that stops writes it (against Azurite, reading the shard's partition itself).
/// </summary>
public sealed class TriggerRemovalWriteBehindTests
{
    [Fact]
    public async Task ARemovalLostWithItsSilo_WakesTheOwnerOnceMore_AndMovesNothing()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix);
        var symbol = NewSymbol();
        var shard = TriggerShards.Key(symbol, 0);
        string accountId;
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            await trading.Market(20_000m, symbol, shards: 1);
            var account = await trading.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Open(account, symbol, PositionSide.Long, 1m, 10);       // LP 18,072.29

            // From here the shard's batches are not sent: its removal stays in memory, as in a silo
            // that dies before its next batch (the in-process kill below still deactivates grains).
            TestFaults.Instance.Arm(FaultPoints.TriggerRowsUnwritten, shard, untilDisarmed: true);
            await trading.Price(symbol, 18_000m);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
            Assert.Equal([accountId], await StoredTriggers(prefix, symbol)); // removed in memory, its row still stored
        }
        finally
        {
            await cluster.KillSiloAsync(cluster.Primary!);
            await cluster.DisposeAsync();
            TestFaults.Instance.Disarm(FaultPoints.TriggerRowsUnwritten, shard);
        }

        Assert.Equal([accountId], await StoredTriggers(prefix, symbol));

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            var wokenAgain = EngineActivity.Of(grains).Answered(PositionKey.Of(accountId, symbol), nameof(IIsolatedPositionGrain.OnTrigger));
            await trading.Price(symbol, 18_050m); // the restarted shard loads the row; the mark crosses it
            await Within(wokenAgain, "the owner woken by the row left behind");
            await trading.Quiet();

            Assert.Equal(1, (await account.GetJournal(1, 20)).Count(e => e.Kind == JournalKind.Liquidation));
            await trading.AssertConserved();

            // The owner's second removal, sent by the shard's timer (and awaited by the silo's stop).
            using var operations = new StorageOperations(prefix);
            var sent = operations.Next("triggers trigger batch write");
            TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1));
            await Within(sent, "the shard's batch of removals");
        });

        Assert.Empty(await StoredTriggers(prefix, symbol));
    }

    [Fact]
    public async Task ARemovalNotYetWritten_IsWrittenWhenItsSiloStops()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            await trading.Market(20_000m, symbol, shards: 1);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            await trading.Price(symbol, 18_000m);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
            Assert.Equal([account.GetPrimaryKeyString()], await StoredTriggers(prefix, symbol));
        });

        Assert.Empty(await StoredTriggers(prefix, symbol)); // written as the silo stopped
    }

    /// <summary>The owners whose rows the market's one shard holds in storage.</summary>
    private static async Task<List<string>> StoredTriggers(string prefix, string symbol)
    {
        var owners = new List<string>();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + "triggers");
        var partition = $"{symbol}_0";
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            owners.Add(row.RowKey);
        }

        return owners;
    }
}
