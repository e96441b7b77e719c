using Azure.Data.Tables;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>
/// Every account id, one table row each, so the audit can visit them all without a hot grain.
/// Rows spread over <see cref="Partitions"/> partitions: one partition of every account would
/// make each insert's lookup grow with the number of accounts.
/// </summary>
public sealed class AccountDirectory(Tables tables)
{
    private const int Partitions = 16;

    public async Task Add(string accountId)
    {
        var table = await tables.Get(Tables.Accounts);
        await table.UpsertEntityAsync(new TableEntity($"accounts-{TriggerShards.Of(accountId, Partitions):D2}", accountId));
    }

    public async IAsyncEnumerable<string> List()
    {
        var table = await tables.Get(Tables.Accounts);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            yield return row.RowKey;
        }
    }
}
