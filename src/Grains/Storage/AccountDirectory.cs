using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>Every account id, one table row each, so the audit can visit them all without a hot grain.</summary>
public sealed class AccountDirectory(Tables tables)
{
    private const string Partition = "accounts";

    public async Task Add(string accountId)
    {
        var table = await tables.Get(Tables.Accounts);
        await table.UpsertEntityAsync(new TableEntity(Partition, accountId));
    }

    public async IAsyncEnumerable<string> List()
    {
        var table = await tables.Get(Tables.Accounts);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, select: ["RowKey"]))
        {
            yield return row.RowKey;
        }
    }
}
