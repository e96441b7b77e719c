using System.Linq.Expressions;
using Azure.Data.Tables;
using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// An isolated position's index entries (its liquidation, take-profit and stop-loss) as columns of
/// its own row, each with its owner and the number of the shard that holds it: written in the
/// position's one write, so an entry that moves to fire sooner costs no trigger row of its own. A
/// shard that activates reads the entries of its number from its market's position buckets
/// (<see cref="TriggerStore.LoadHeld"/>: the shards of a market that activate together read them once).
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

    /// <summary>
    /// The entries of <paramref name="shards"/> of <paramref name="symbol"/>'s market, by shard, every
    /// bucket read side by side, each row once whichever of those shards hold its entries.
    /// </summary>
    public static async Task<Dictionary<int, List<TriggerEntry>>> Load(Tables tables, string symbol, IReadOnlyCollection<int> shards)
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, PositionRows.Buckets).Select(b => Bucket(tables, PositionRows.Bucket(symbol, b), shards)));
        var found = shards.ToDictionary(shard => shard, _ => new List<TriggerEntry>());
        foreach (var (shard, entry) in buckets.SelectMany(entries => entries))
        {
            found[shard].Add(entry);
        }

        return found;
    }

    private static async Task<List<(int Shard, TriggerEntry Entry)>> Bucket(Tables tables, string partition, IReadOnlyCollection<int> shards)
    {
        var table = await tables.Get(Tables.Positions, partition);
        var entries = new List<(int, TriggerEntry)>();
        using var counted = StorageCounter.Labelled(table.Name, "trigger shard load");
        await foreach (var row in table.QueryAsync(HoldingEntriesOf(partition, shards), maxPerPage: 1000, select: Columns))
        {
            foreach (var (_, prefix) in Kinds)
            {
                if (row.GetInt32(prefix + "Shard") is { } shard && shards.Contains(shard))
                {
                    entries.Add((shard, TriggerColumns.Read(row, prefix, row.GetString(prefix + "Owner"))));
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// The rows of <paramref name="partition"/> with an entry of one of <paramref name="shards"/>:
    /// <c>PartitionKey eq … and (LiqShard eq k or …)</c>; past Azure Table's 15 comparisons a filter
    /// may hold, every row with an entry (<c>LiqShard ge 0 or …</c>), the others' dropped as read.
    /// </summary>
    private static Expression<Func<TableEntity, bool>> HoldingEntriesOf(string partition, IReadOnlyCollection<int> shards)
    {
        var row = Expression.Parameter(typeof(TableEntity), "e");
        var column = typeof(TableEntity).GetMethod(nameof(TableEntity.GetInt32), [typeof(string)])!;
        Expression Shard(string prefix) => Expression.Call(row, column, Expression.Constant(prefix + "Shard"));
        Expression Number(int shard) => Expression.Constant((int?)shard, typeof(int?));
        var held = (1 + (shards.Count * Kinds.Length) <= FilterComparisonsMax
                ? Kinds.SelectMany(kind => shards.Select(shard => Expression.Equal(Shard(kind.Prefix), Number(shard))))
                : Kinds.Select(kind => Expression.GreaterThanOrEqual(Shard(kind.Prefix), Number(0))))
            .Aggregate(Expression.OrElse);
        var inPartition = Expression.Equal(Expression.Property(row, nameof(TableEntity.PartitionKey)), Expression.Constant(partition));
        return Expression.Lambda<Func<TableEntity, bool>>(Expression.AndAlso(inPartition, held), row);
    }

    /// <summary>Azure Table refuses a filter with more discrete comparisons.</summary>
    private const int FilterComparisonsMax = 15;
}
