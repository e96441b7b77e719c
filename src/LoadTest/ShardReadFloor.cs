using System.Diagnostics;
using Azure.Data.Tables;

namespace MarginOrleans.LoadTest;

/// <summary>
/// A restart's floor: every trigger shard's rows of a market read straight from the table service,
/// as a restarted market's shards read them — each shard's partition page after page (1,000 rows a
/// page, the most a page holds), the shards side by side — with nothing of the engine in the way.
/// A restarted silo cannot answer its first crossing tick before its shards have read this much.
/// </summary>
public static class ShardReadFloor
{
    public static async Task<(TimeSpan Elapsed, int Rows, int Pages)> Measure(IReadOnlyList<string> connections, string tablePrefix, string symbol, int shards, CancellationToken cancel)
    {
        var tables = connections.Select(c => new TableServiceClient(c).GetTableClient(tablePrefix + "triggers")).ToList();
        var clock = Stopwatch.StartNew();

        // A shard's partition lies in one account; which one is the silo's hash: each account is asked (an empty answer costs one page).
        var read = await Task.WhenAll(Enumerable.Range(0, shards).SelectMany(shard => tables.Select(table => Read(table, $"{symbol}_{shard}", cancel))));
        return (clock.Elapsed, read.Sum(r => r.Rows), read.Sum(r => r.Pages));
    }

    private static async Task<(int Rows, int Pages)> Read(TableClient table, string partition, CancellationToken cancel)
    {
        var (rows, pages) = (0, 0);
        await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: 1000, cancellationToken: cancel).AsPages())
        {
            (rows, pages) = (rows + page.Values.Count, pages + 1);
        }

        return (rows, pages);
    }
}
