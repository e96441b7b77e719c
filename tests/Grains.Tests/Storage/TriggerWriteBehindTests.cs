using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// An isolated position's index entries lie in its own row, written with its state: a move that
/// makes its liquidation fire sooner or later costs no trigger row, and a shard whose silo died
/// rebuilds the entry from the row. A delivered liquidation's entry, which the row names until its
/// next write, is released by a row of the shard's own that rides on its next batch: a silo that
/// dies first leaves the entry to wake its owner once more after the restart (the owner answers with
/// what it holds, and no money moves twice); a silo that stops writes it. Against Azurite, reading
/// the tables themselves.
/// </summary>
public sealed class TriggerWriteBehindTests
{
    [Fact]
    public async Task AReleaseLostWithItsSilo_WakesTheOwnerOnceMore_AndMovesNothing()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        var accountId = await ALongWhoseShardThenWritesNothing(prefix, symbol, async (trading, account) =>
        {
            await trading.Price(symbol, 18_000m);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
        });

        Assert.Empty(await ShardRows(prefix, symbol)); // released in memory only
        Assert.Equal("18072.28915663", await RowEntry(prefix, symbol, accountId)); // the position's row names the fired entry

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            var wokenAgain = EngineActivity.Of(grains).Answered(PositionKey.Of(accountId, symbol), nameof(IIsolatedPositionGrain.OnTrigger));
            await trading.Price(symbol, 18_050m); // the restarted shard rebuilt the entry from the row; the mark crosses it
            await Within(wokenAgain, "the owner woken by the entry its row still names");
            await trading.Quiet();

            Assert.Equal(1, (await account.GetJournal(1, 20)).Count(e => e.Kind == JournalKind.Liquidation));
            await trading.AssertConserved();

            // The owner's second release, sent by the shard's timer (and awaited by the silo's stop).
            using var operations = new StorageOperations(prefix);
            var sent = operations.Next("triggers trigger batch write");
            TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1));
            await Within(sent, "the shard's batch of release rows");
        });

        Assert.Equal([(accountId, Released)], await ShardRows(prefix, symbol));
    }

    /// <summary>A release row not yet written is written as the silo stops; the shard that activates next rebuilds no entry from the row it hides.</summary>
    [Fact]
    public async Task AReleaseNotYetWritten_IsWrittenWhenItsSiloStops_AndHidesTheEntryAfterIt()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        var accountId = "";
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            await trading.Market(20_000m, symbol, shards: 1);
            var account = await trading.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            await trading.Price(symbol, 18_000m);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
            Assert.Empty(await ShardRows(prefix, symbol));
        });

        Assert.Equal([(accountId, Released)], await ShardRows(prefix, symbol)); // written as the silo stopped
        Assert.Equal("18072.28915663", await RowEntry(prefix, symbol, accountId));

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            await trading.Price(symbol, 18_050m); // would cross the entry the row names; the tick brings the shard's count
            await trading.Quiet();
            Assert.Equal((0, 0), await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is { } market ? (market.TriggerCount, market.ShardsUnheard) : (-1, -1));
            Assert.Equal(1, (await grains.GetGrain<IAccountGrain>(accountId).GetJournal(1, 20)).Count(e => e.Kind == JournalKind.Liquidation));
            await trading.AssertConserved();
        });
    }

    /// <summary>
    /// Less margin moves a long's liquidation price up, toward the mark: the entry is published to
    /// the shard's memory before the position's write and lies in that write's row — the shard writes
    /// nothing (its batches fail here) and the command is answered. After the silo dies, a mark between
    /// the old price and the new liquidates the position: the restarted shard read the entry from the row.
    /// </summary>
    [Fact]
    public async Task AMoveToFireSooner_LiesInThePositionsRowAlone_AndTheRestartedShardFiresAtIt()
    {
        var (prefix, symbol) = (ClusterFixture.NewTablePrefix(), NewSymbol());
        var accountId = await ALongWhoseShardThenWritesNothing(prefix, symbol, async (_, account) =>
        {
            Assert.True((await account.AddMargin(RequestId(), symbol, 1_000m)).Result.IsOk);
            Assert.Equal(17_068.27309237m, (await account.GetPosition(symbol))!.LiquidationPrice); // (20,000 − 3,000) ÷ (1 − 0.4 %)
            Assert.True((await account.RemoveMargin(RequestId(), symbol, 500m)).Result.IsOk);
            Assert.Equal(17_570.28112450m, (await account.GetPosition(symbol))!.LiquidationPrice); // (20,000 − 2,500) ÷ (1 − 0.4 %)
        });

        Assert.Empty(await ShardRows(prefix, symbol));
        Assert.Equal("17570.2811245", await RowEntry(prefix, symbol, accountId));

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            await trading.Price(symbol, 17_500m); // below the new price, above the old
            await trading.Settled(async () => (await account.GetJournal(1, 20)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation");
            Assert.Null(await account.GetPosition(symbol));
            await trading.AssertConserved();
        });
    }

    private const string Released = "released";

    /// <summary>
    /// A long of 1 BTC at 10× in a market of one shard (its entry in the position's row), then
    /// <paramref name="unwritten"/> while the shard's batches are not sent — as in a silo that dies
    /// before its next batch (the in-process kill at the end still deactivates grains, whose writes
    /// fail the same way). Returns the account.
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
            Assert.Equal("18072.28915663", await RowEntry(prefix, symbol, account.GetPrimaryKeyString()));

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

    /// <summary>The rows of the market's one shard in its own partition: each owner and its price, or <see cref="Released"/>.</summary>
    private static async Task<List<(string Owner, string Price)>> ShardRows(string prefix, string symbol)
    {
        var rows = new List<(string, string)>();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Triggers);
        var partition = $"{symbol}_0";
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add((row.RowKey, row.GetBoolean("Released") == true ? Released : row.GetString("Price")));
        }

        return rows;
    }

    /// <summary>The liquidation price the account's position row holds for the index.</summary>
    private static async Task<string?> RowEntry(string prefix, string symbol, string accountId)
    {
        var key = PositionKey.Of(accountId, symbol);
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Positions);
        var row = await table.GetEntityAsync<TableEntity>(PositionRows.Partition(key), PositionRows.Row(key));
        return row.Value.GetString("LiqPrice");
    }
}
