using Azure.Core;
using Azure.Data.Tables;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// Isolated positions' index entries lie in their own rows, each naming the shard that holds it: a
/// market's shards that activate together read its 32 buckets once between them (ahead of the silo's
/// storage queue), each taking the entries of its own number; a shard that asks later reads again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PositionTriggersTests
{
    private static readonly TriggerEntry Long = new("acc-1", TriggerDirection.AtOrBelow, 18_072.28915663m, 0.5m, new PositionStanding(1m, 20_000m, 18_000m));
    private static readonly TriggerEntry LongsTakeProfit = new("tp:acc-1", TriggerDirection.AtOrAbove, 25_000m);
    private static readonly TriggerEntry Short = new("acc-2", TriggerDirection.AtOrAbove, 21_912.5m, 0m, new PositionStanding(0.1m, 20_000m, 22_000m));

    [Fact]
    public async Task ShardsActivatingTogether_ReadTheBucketsOnce_EachItsOwnEntries()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        var options = new TableClientOptions();
        options.AddPolicy(StorageCounter.Instance, HttpPipelinePosition.PerRetry);
        var tables = new Tables(1, (_, name) => new TableClient(Azurite.ConnectionString, prefix + name, options));
        await Row(tables, "acc-1/BTC-USDT", new RowTrigger(0, Long), new RowTrigger(2, LongsTakeProfit));
        await Row(tables, "acc-2/BTC-USDT", new RowTrigger(1, Short));
        await Row(tables, "acc-3/ETH-USDT", new RowTrigger(0, Long with { Owner = "acc-3" })); // another market's bucket
        await Row(tables, "acc-4/BTC-USDT"); // a position stored before positions held their entries
        operations.Take();

        var store = new TriggerStore(tables);
        var held = await Task.WhenAll(Enumerable.Range(0, 4).Select(shard => store.LoadHeld("BTC-USDT", shard)));
        Assert.Equal([[Long], [Short], [LongsTakeProfit], []], held);
        Assert.Equal(Enumerable.Repeat("positions trigger shard load read · first", PositionRows.Buckets), operations.Take(lines: true));

        await Row(tables, "acc-5/BTC-USDT", new RowTrigger(3, Short with { Owner = "acc-5" }));
        Assert.Equal([Short with { Owner = "acc-5" }], await store.LoadHeld("BTC-USDT", 3));
    }

    /// <summary>Five shards gathered would make a filter of 16 comparisons, past Azure Table's 15: the read takes every row with an entry, each shard its own.</summary>
    [Fact]
    public async Task FiveShardsActivatingTogether_ReadEveryEntryOnce_EachItsOwn()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var tables = new Tables(1, (_, name) => new TableClient(Azurite.ConnectionString, prefix + name));
        var entries = Enumerable.Range(0, 6).Select(k => Long with { Owner = $"acc-{k}" }).ToList();
        for (var k = 0; k < entries.Count; k++)
        {
            await Row(tables, $"acc-{k}/BTC-USDT", new RowTrigger(k, entries[k]));
        }

        var store = new TriggerStore(tables);
        var held = await Task.WhenAll(Enumerable.Range(0, 5).Select(shard => store.LoadHeld("BTC-USDT", shard)));
        Assert.Equal(entries.Take(5).Select(e => new List<TriggerEntry> { e }), held);
    }

    private static async Task Row(Tables tables, string position, params RowTrigger[] triggers)
    {
        var row = new TableEntity(PositionRows.Partition(position), PositionRows.Row(position));
        PositionTriggers.Write(row, triggers);
        await (await tables.Get(Tables.Positions, row.PartitionKey)).AddEntityAsync(row);
    }
}
