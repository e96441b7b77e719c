using Azure;
using Azure.Data.Tables;
using MarginOrleans.Markets;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// A trigger shard's own rows: one table row per entry, one partition per shard, so a shard's rows
/// are written as entity-group batches of up to 100 and read back on their own. A shard writes a row
/// before it acknowledges a registration that fires sooner than the row (a later-firing one and a
/// removal ride on its next batch), so a restarted shard rebuilds an index whose every trigger fires
/// no later than its owner's: no liquidation is missed after a crash. An isolated position's entries
/// lie in its own row instead (<see cref="PositionTriggers"/>); a row here for such an owner is a
/// durable wake-up, an entry its owner published without writing (the sooner of it and the owner's
/// row's is rebuilt), or a release row (<see cref="ShardRow.Released"/>) that hides the entry it
/// names while the owner's row still names that entry.
/// </summary>
public sealed class TriggerStore(Tables tables)
{
    /// <summary>Writes each owner's row change, in batches of one partition.</summary>
    public async Task Write(string partition, IEnumerable<KeyValuePair<string, ShardRow>> changes)
    {
        var table = await tables.Get(Tables.Triggers, partition);
        var actions = changes.Select(c => c.Value.Entry is { } entry
            ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToRow(partition, entry, c.Value.Released))
            : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, c.Key), ETag.All));
        await PartitionBatch.Submit(table, actions, "trigger batch", "trigger row");
    }

    /// <summary>A shard's own rows, read ahead of the silo's storage queue: every owner of the shard waits for them.</summary>
    public async Task<StoredShard> Load(string partition)
    {
        using var ahead = StorageAdmission.FirstInLine();
        var table = await tables.Get(Tables.Triggers, partition);
        var stored = new StoredShard([], []);
        using var counted = StorageCounter.Labelled(table.Name, "trigger shard load");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: 1000))
        {
            var entry = TriggerColumns.Read(row, "", row.RowKey);
            if (row.GetBoolean(Released) == true)
            {
                stored.Released.Add(entry);
            }
            else
            {
                stored.Entries.Add(entry);
            }
        }

        return stored;
    }

    /// <summary>
    /// The isolated positions' entries of this shard, from their own rows (<see cref="PositionTriggers"/>),
    /// ahead of the queue too. The shards of a market that activate together (a market starts them
    /// all) share one read of its buckets: a read gathers the shards that ask in its first moments and
    /// starts after the last of them asked, so it sees every row written before any of them activated.
    /// </summary>
    public async Task<List<TriggerEntry>> LoadHeld(string symbol, int shard)
    {
        HeldRead read;
        lock (gathering)
        {
            if (!gathering.TryGetValue(symbol, out read!))
            {
                gathering[symbol] = read = new HeldRead();
                using (ExecutionContext.SuppressFlow())
                {
                    // Off the asking shard's scheduler: the read is every gathered shard's.
                    _ = Task.Run(() => Read(symbol, read));
                }
            }

            read.Shards.Add(shard);
        }

        return (await read.Done.Task)[shard];
    }

    private async Task Read(string symbol, HeldRead read)
    {
        await Task.Delay(Gather);
        lock (gathering)
        {
            gathering.Remove(symbol); // a shard that asks from now on gathers a read of its own
        }

        try
        {
            using var ahead = StorageAdmission.FirstInLine();
            read.Done.SetResult(await PositionTriggers.Load(tables, symbol, read.Shards));
        }
        catch (Exception e)
        {
            read.Done.SetException(e);
        }
    }

    /// <summary>How long a read waits for the market's other shards: they activate side by side.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<string, HeldRead> gathering = new(StringComparer.Ordinal);

    /// <summary>One read of a market's buckets for the shards gathered before it started.</summary>
    private sealed class HeldRead
    {
        public HashSet<int> Shards { get; } = [];

        public TaskCompletionSource<Dictionary<int, List<TriggerEntry>>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private const string Released = "Released";

    private static TableEntity ToRow(string partition, TriggerEntry entry, bool released)
    {
        var row = new TableEntity(partition, entry.Owner);
        TriggerColumns.Write(row, "", entry);
        if (released)
        {
            row[Released] = true;
        }

        return row;
    }
}

/// <summary>A shard's own rows: its entries, and the entries released that their owners' rows still name.</summary>
public sealed record StoredShard(List<TriggerEntry> Entries, List<TriggerEntry> Released)
{
    /// <summary>Every owner with a row here.</summary>
    public IEnumerable<string> Owners => Entries.Concat(Released).Select(e => e.Owner);
}

/// <summary>
/// A change of one owner's row in its shard's partition: an entry to store, or none (deleted). A
/// <see cref="Released"/> entry is a release row: the owner's own row still names that entry (a
/// delivered liquidation's, kept until that row is next written), which the shard must not rebuild.
/// </summary>
public readonly record struct ShardRow(TriggerEntry? Entry, bool Released = false);
