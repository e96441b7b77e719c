using System.Diagnostics;
using Azure.Data.Tables;
using MarginOrleans.Storage;

namespace MarginOrleans.LoadTest;

/// <summary>
/// A restart's floor: what every trigger shard of a market reads as it activates, read straight
/// from the table service by the shards' own store — each shard's partition and its entries in the
/// market's position buckets, the shards side by side — with no grain, silo or queue in the way.
/// A restarted silo cannot answer its first crossing tick before its shards have read this much.
/// </summary>
public static class ShardReadFloor
{
    public static async Task<(TimeSpan Elapsed, int Rows, int Queries)> Measure(IReadOnlyList<string> connections, string tablePrefix, string symbol, int shards)
    {
        var tables = Tables.Azure([.. connections.Select(c => new TableServiceClient(c))], tablePrefix);
        await Task.WhenAll(tables.All(Tables.Triggers), tables.All(Tables.Positions)); // opened before the clock
        var store = new TriggerStore(tables);
        var clock = Stopwatch.StartNew();
        var read = await Task.WhenAll(Enumerable.Range(0, shards).Select(async shard =>
        {
            var (own, held) = (store.Load($"{symbol}_{shard}"), store.LoadHeld(symbol, shard));
            return (await own).Entries.Count + (await held).Count;
        }));

        // Queries, not pages: each shard's own partition, and each of the market's buckets once for all of them (a page each, or more past 1,000 rows).
        return (clock.Elapsed, read.Sum(), shards + PositionRows.Buckets);
    }
}
