using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MarginOrleans.Markets;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// The durable copy of every trigger shard: one table row per entry, one partition per shard,
/// so a shard's rows are written as entity-group batches of up to 100 and read back on their own.
/// A shard writes a row before it acknowledges a registration that fires sooner than the row
/// (a later-firing one and a removal ride on its next batch), so a restarted shard rebuilds an
/// index whose every trigger fires no later than its owner's: no liquidation is missed after a crash.
/// </summary>
public sealed class TriggerStore(Tables tables)
{
    /// <summary>Upserts each entry and deletes each owner mapped to null, in batches of one partition.</summary>
    public async Task Write(string partition, IEnumerable<KeyValuePair<string, TriggerEntry?>> changes)
    {
        var table = await tables.Get(Tables.Triggers, partition);
        var actions = changes.Select(c => c.Value is { } entry
            ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToRow(partition, entry))
            : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, c.Key), ETag.All));
        await PartitionBatch.Submit(table, actions, "trigger batch", "trigger row");
    }

    /// <summary>A shard's entries, read ahead of the silo's storage queue: every owner of the shard waits for them.</summary>
    public async Task<List<TriggerEntry>> Load(string partition)
    {
        using var ahead = StorageAdmission.FirstInLine();
        var table = await tables.Get(Tables.Triggers, partition);
        var entries = new List<TriggerEntry>();
        using var counted = StorageCounter.Labelled(table.Name, "trigger shard load");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: 1000))
        {
            entries.Add(new TriggerEntry(
                row.RowKey,
                (TriggerDirection)row.GetInt32("Direction")!.Value,
                decimal.Parse(row.GetString("Price"), CultureInfo.InvariantCulture),
                row.GetString("Frame") is { } frame ? Parse(frame) : 0m,
                row.GetString("Standing") is { } standing ? ParseStanding(standing) : null,
                row.GetString("CallbackRate") is { } rate ? Parse(rate) : 0m));
        }

        return entries;
    }

    private static TableEntity ToRow(string partition, TriggerEntry entry)
    {
        var row = new TableEntity(partition, entry.Owner)
        {
            ["Direction"] = (int)entry.Direction,
            ["Price"] = entry.Price.ToString(CultureInfo.InvariantCulture),
            ["Frame"] = entry.Frame.ToString(CultureInfo.InvariantCulture),
        };
        if (entry.CallbackRate != 0m)
        {
            row["CallbackRate"] = entry.CallbackRate.ToString(CultureInfo.InvariantCulture);
        }

        if (entry.Standing is { } s)
        {
            // One column "quantity entry bankruptcy": the ranking's figures travel with the trigger.
            row["Standing"] = string.Join(' ', new[] { s.Quantity, s.EntryPrice, s.BankruptcyPrice }.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        }

        return row;
    }

    private static decimal Parse(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static PositionStanding ParseStanding(string text)
    {
        var parts = text.Split(' ');
        return new PositionStanding(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
    }
}
