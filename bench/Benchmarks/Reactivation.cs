using System.Diagnostics;
using Azure.Data.Tables;
using MarginOrleans.Markets;
using MarginOrleans.Storage;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// How long a market's index takes to come back: N trigger rows spread over K shard partitions,
/// then every shard reads its partition in parallel (as the shards of a restarted market activate)
/// and rebuilds its index. Run against a real Azure Table endpoint (Azurite locally), or against
/// "memory" for the engine's share alone (entity parsing and indexing, no I/O):
/// dotnet run -c Release --project bench/Benchmarks -- reactivation "CONNECTION STRING" 100000 8
/// </summary>
public static class Reactivation
{
    public static async Task Print(string connection, int entries, int shards)
    {
        var tables = connection == "memory" ? Tables.Memory() : Tables.Azure(new TableServiceClient(connection), "bench" + Guid.NewGuid().ToString("N")[..8]);
        var store = new TriggerStore(tables);
        var random = new Random(42);
        var partitions = Enumerable.Range(0, shards).Select(k => new Dictionary<string, ShardRow>()).ToArray();
        for (var i = 0; i < entries; i++)
        {
            var owner = $"acc-{i:D13}";
            partitions[TriggerShards.Of(owner, shards)][owner] = new ShardRow(new TriggerEntry(owner, TriggerDirection.AtOrBelow, 10_000m + random.Next(0, 90_000) * 0.1m));
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(partitions.Select((rows, k) => store.Write($"BENCH-USDT_{k}", rows)));
        Console.WriteLine($"wrote {entries:N0} rows into {shards} partitions in {clock.Elapsed.TotalSeconds:F1} s ({entries / clock.Elapsed.TotalSeconds:N0} rows/s, batches of 100)");

        clock.Restart();
        var indexes = await Task.WhenAll(Enumerable.Range(0, shards).Select(async k =>
        {
            var index = new TriggerIndex();
            foreach (var entry in (await store.Load($"BENCH-USDT_{k}")).Entries)
            {
                index.Set(entry);
            }

            return index;
        }));
        Console.WriteLine($"re-activated {indexes.Sum(i => i.Count):N0} entries in {shards} shards in {clock.Elapsed.TotalSeconds:F1} s ({entries / clock.Elapsed.TotalSeconds:N0} entries/s)");
    }
}
