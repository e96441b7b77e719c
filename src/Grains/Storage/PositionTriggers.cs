using Azure.Data.Tables;
using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// An isolated position's index entries (its liquidation, take-profit and stop-loss) as columns of
/// its own row, each with its owner and the number of the shard that holds it: written in the
/// position's one write, so an entry that moves to fire sooner costs no trigger row of its own. A
/// shard that activates reads the entries of its number from its market's position buckets.
/// </summary>
public static class PositionTriggers
{
    private static readonly (TriggerKind Kind, string Prefix)[] Kinds =
        [(TriggerKind.Liquidation, "Liq"), (TriggerKind.TakeProfit, "Tp"), (TriggerKind.StopLoss, "Sl")];

    private static readonly string[] Columns =
        [.. Kinds.SelectMany(k => TriggerColumns.Names(k.Prefix).Append(k.Prefix + "Shard").Append(k.Prefix + "Owner"))];

    public static void Write(TableEntity row, IEnumerable<RowTrigger> triggers)
    {
        foreach (var (shard, entry) in triggers)
        {
            var prefix = Kinds.Single(k => k.Kind == entry.Key.Kind).Prefix;
            row[prefix + "Shard"] = shard;
            row[prefix + "Owner"] = entry.Owner;
            TriggerColumns.Write(row, prefix, entry);
        }
    }

    /// <summary>The entries of shard <paramref name="shard"/> of <paramref name="symbol"/>'s market, every bucket read side by side.</summary>
    public static async Task<List<TriggerEntry>> Load(Tables tables, string symbol, int shard)
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, PositionRows.Buckets).Select(b => Bucket(tables, PositionRows.Bucket(symbol, b), shard)));
        return [.. buckets.SelectMany(entries => entries)];
    }

    private static async Task<List<TriggerEntry>> Bucket(Tables tables, string partition, int shard)
    {
        var table = await tables.Get(Tables.Positions, partition);
        var entries = new List<TriggerEntry>();
        using var counted = StorageCounter.Labelled(table.Name, "trigger shard load");
        var rows = table.QueryAsync<TableEntity>(
            e => e.PartitionKey == partition && (e.GetInt32("LiqShard") == shard || e.GetInt32("TpShard") == shard || e.GetInt32("SlShard") == shard),
            maxPerPage: 1000, select: Columns);
        await foreach (var row in rows)
        {
            foreach (var (_, prefix) in Kinds)
            {
                if (row.GetInt32(prefix + "Shard") == shard)
                {
                    entries.Add(TriggerColumns.Read(row, prefix, row.GetString(prefix + "Owner")));
                }
            }
        }

        return entries;
    }
}
