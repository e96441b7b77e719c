using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// The transfers a fund has applied and their senders have not yet confirmed, one row each in the
/// fund's partition: they grow with what is in flight (a whole cascade), which the fund's state row,
/// capped at 1 MB by Azure Table, must not hold. Each row carries the number of the fund's write that
/// stored it, and the fund's state records the last write it completed: a row written by a write whose
/// state never landed does not stand for an applied transfer, and is deleted when the fund loads.
/// </summary>
public sealed class TransferRows(Tables tables)
{
    /// <summary>Stores <paramref name="applied"/> as written by write <paramref name="commit"/> and deletes <paramref name="forgotten"/>.</summary>
    public async Task Write(string fund, long commit, IReadOnlyDictionary<string, decimal> applied, IReadOnlyCollection<string> forgotten)
    {
        var table = await tables.Get(Tables.Transfers, fund);
        var partition = Key(fund);
        IEnumerable<TableTransactionAction> actions =
        [
            .. applied.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, Key(t.Key))
            {
                ["Id"] = t.Key,
                ["Amount"] = t.Value.ToString(CultureInfo.InvariantCulture),
                ["Commit"] = commit,
            })),
            .. forgotten.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, Key(id)), ETag.All)),
        ];
        await PartitionBatch.Submit(table, actions, "transfer batch", "transfer row");
    }

    /// <summary>Deletes the rows of <paramref name="forgotten"/>, whatever wrote them.</summary>
    public Task Delete(string fund, IReadOnlyCollection<string> forgotten) => Write(fund, 0, new Dictionary<string, decimal>(), forgotten);

    /// <summary>The transfers stored by writes up to <paramref name="commit"/>; rows of later ones are deleted.</summary>
    public async Task<Dictionary<string, decimal>> Load(string fund, long commit)
    {
        var table = await tables.Get(Tables.Transfers, fund);
        var partition = Key(fund);
        var (applied, stale) = (new Dictionary<string, decimal>(), new List<string>());
        using (StorageCounter.Labelled(table.Name, "transfer rows load"))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: 1000))
            {
                var id = row.GetString("Id");
                if (row.GetInt64("Commit") <= commit)
                {
                    applied[id] = decimal.Parse(row.GetString("Amount"), CultureInfo.InvariantCulture);
                }
                else
                {
                    stale.Add(id);
                }
            }
        }

        await Delete(fund, stale);
        return applied;
    }

    /// <summary>
    /// A key as Azure Table takes it (the id itself is a column): ids hold '/' and '#', which keys may
    /// not, and a batch's delete names its row in a URL, where '+' would read as a space.
    /// </summary>
    private static string Key(string id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));
}
