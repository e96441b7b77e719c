using System.Globalization;
using Azure.Data.Tables;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>
/// The durable copy of every market's trigger index: one table row per entry, partitioned by
/// symbol. Owners write their row before telling the market, so a market that restarts rebuilds
/// an index holding every trigger (design §4: no liquidation is missed after a crash).
/// </summary>
public sealed class TriggerStore(Tables tables)
{
    public async Task Save(string symbol, TriggerEntry entry)
    {
        var table = await tables.Get(Tables.Triggers);
        await table.UpsertEntityAsync(new TableEntity(symbol, entry.Owner)
        {
            ["Direction"] = (int)entry.Direction,
            ["Price"] = entry.Price.ToString(CultureInfo.InvariantCulture),
        }, TableUpdateMode.Replace);
    }

    public async Task Delete(string symbol, string owner)
    {
        var table = await tables.Get(Tables.Triggers);
        await table.DeleteEntityAsync(symbol, owner);
    }

    public async Task<List<TriggerEntry>> Load(string symbol)
    {
        var table = await tables.Get(Tables.Triggers);
        var entries = new List<TriggerEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == symbol))
        {
            entries.Add(new TriggerEntry(
                row.RowKey,
                (TriggerDirection)row.GetInt32("Direction")!.Value,
                decimal.Parse(row.GetString("Price"), CultureInfo.InvariantCulture)));
        }

        return entries;
    }
}
