using Azure.Data.Tables;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>
/// Every account id, one table row each, so the audit can visit them all without a hot grain.
/// Rows spread over <see cref="Partitions"/> partitions: one partition of every account would
/// make each insert's lookup grow with the number of accounts. An account's row lies in its own
/// storage account, beside its journal; a listing visits every storage account. The silo's creates
/// share their partition's writes (<see cref="PartitionCommits"/>): many at once cost one operation.
/// </summary>
public sealed class AccountDirectory(Tables tables, PartitionCommits commits)
{
    private const int Partitions = 16;

    public async Task Add(string accountId)
    {
        var table = await tables.Get(Tables.Accounts, accountId);
        var row = new TableEntity($"accounts-{TriggerShards.Of(accountId, Partitions):D2}", accountId);
        await commits.Write(table, new TableTransactionAction(TableTransactionActionType.UpsertReplace, row), "directory batch", "directory row");
    }

    public async IAsyncEnumerable<string> List()
    {
        foreach (var table in await tables.All(Tables.Accounts))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
            {
                yield return row.RowKey;
            }
        }
    }
}
