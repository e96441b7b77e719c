using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Positions;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A trigger shard answers a removal, and a move that makes an entry fire later, before its row is
/// stored (the change rides on the shard's next batch): a silo that dies in between leaves the old
/// row, which fires early after the restart and wakes its owner once more; the owner answers with
/// what it holds, and no money moves twice; a silo that stops writes it (against Azurite, reading
/// the shard's partition itself).
/// </summary>
public sealed class TriggerWriteBehindTests
{
    [Fact]
    public async Task ARemovalLostWithItsSilo_WakesTheOwnerOnceMore_AndMovesNothing()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        var accountId = await ALongWhoseShardThenWritesNothing(prefix, symbol, async (trading, account) =>
        {
            await trading.Price(symbol, 18_000m);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
            Assert.Equal([account.GetPrimaryKeyString()], Owners(await StoredTriggers(prefix, symbol))); // removed in memory, its row still stored
        });

        Assert.Equal([accountId], Owners(await StoredTriggers(prefix, symbol)));

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
            Assert.Equal([account.GetPrimaryKeyString()], Owners(await StoredTriggers(prefix, symbol)));
        });

        Assert.Empty(await StoredTriggers(prefix, symbol)); // written as the silo stopped
    }

    /// <summary>
    /// More margin moves a long's liquidation price down: the shard answers at once and a silo that
    /// dies before its next batch leaves the row at the old price. After the restart a mark between
    /// the two wakes the owner, who is not liquidated and answers with its entry, which the shard's
    /// timer then writes.
    /// </summary>
    [Fact]
    public async Task AMoveToFireLaterLostWithItsSilo_FiresEarly_AndTheOwnerCorrectsItsRow()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        var accountId = await ALongWhoseShardThenWritesNothing(prefix, symbol, async (_, account) =>
        {
            // An answer that waited for the shard's batch would never come.
            Assert.True((await account.AddMargin(RequestId(), symbol, 1_000m)).Result.IsOk);
            Assert.Equal(17_068.27309237m, (await account.GetPosition(symbol))!.LiquidationPrice); // (20,000 − 3,000) ÷ (1 − 0.4 %)
            Assert.Equal([(account.GetPrimaryKeyString(), "18072.28915663")], await StoredTriggers(prefix, symbol));
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            var wokenEarly = EngineActivity.Of(grains).Answered(PositionKey.Of(accountId, symbol), nameof(IIsolatedPositionGrain.OnTrigger));
            await trading.Price(symbol, 18_050m); // crosses the old row, not the position's price
            await Within(wokenEarly, "the owner woken by the old row");
            await trading.Quiet();

            Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
            Assert.DoesNotContain(await account.GetJournal(1, 20), e => e.Kind == JournalKind.Liquidation);
            await trading.AssertConserved();

            using var operations = new StorageOperations(prefix);
            var sent = operations.Next("triggers trigger batch write");
            TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1));
            await Within(sent, "the shard's batch with the owner's answer");
        });

        Assert.Equal([(accountId, "17068.27309237")], await StoredTriggers(prefix, symbol));
    }

    /// <summary>
    /// A long of 1 BTC at 10× in a market of one shard (its row stored), then <paramref name="unwritten"/>
    /// while the shard's batches are not sent — as in a silo that dies before its next batch (the
    /// in-process kill at the end still deactivates grains, whose writes fail the same way). Returns the account.
    /// </summary>
    private static async Task<string> ALongWhoseShardThenWritesNothing(string prefix, string symbol, Func<Trading, IAccountGrain, Task> unwritten)
    {
        var cluster = await ClusterFixture.Start(prefix);
        var shard = TriggerShards.Key(symbol, 0);
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            await trading.Market(20_000m, symbol, shards: 1);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10); // LP (20,000 − 2,000) ÷ (1 − 0.4 %)
            Assert.Equal([(account.GetPrimaryKeyString(), "18072.28915663")], await StoredTriggers(prefix, symbol));

            TestFaults.Instance.Arm(FaultPoints.TriggerRowsUnwritten, shard, untilDisarmed: true);
            await unwritten(trading, account);
            return account.GetPrimaryKeyString();
        }
        finally
        {
            await cluster.KillSiloAsync(cluster.Primary!);
            await cluster.DisposeAsync();
            TestFaults.Instance.Disarm(FaultPoints.TriggerRowsUnwritten, shard);
        }
    }

    private static List<string> Owners(List<(string Owner, string Price)> rows) => [.. rows.Select(r => r.Owner)];

    /// <summary>The owners and prices of the rows the market's one shard holds in storage.</summary>
    private static async Task<List<(string Owner, string Price)>> StoredTriggers(string prefix, string symbol)
    {
        var rows = new List<(string, string)>();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + "triggers");
        var partition = $"{symbol}_0";
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add((row.RowKey, row.GetString("Price")));
        }

        return rows;
    }
}
