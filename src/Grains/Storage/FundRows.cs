using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MarginOrleans.Operations;
using MarginOrleans.Telemetry;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginOrleans.Storage;

/// <summary>
/// An insurance fund's rows, one partition per fund: its state row (<see cref="StateKey"/>) and a row
/// per transfer it has applied and its sender has not yet confirmed. Those grow with what is in
/// flight (a whole cascade), which the state row, capped at 1 MB by Azure Table, must not hold. A
/// write is one entity-group transaction of the state and up to 99 transfer rows, all or nothing, as
/// an account's state goes with its journal rows. A write of more first writes the rest, each row
/// tagged with the write's number; the state records the number of the last write that landed, so a
/// row whose write never landed is no applied transfer, and is deleted when the fund loads.
/// </summary>
public sealed class FundRows(Tables tables, Serializer serializer)
{
    /// <summary>'!' sorts before every transfer row's key (base64url).</summary>
    public const string StateKey = "!fund";

    /// <summary>
    /// The fund's state — <paramref name="before"/> if it has no row here yet (stored before in Orleans'
    /// rows) — with its row's ETag and the transfers applied by writes that landed.
    /// </summary>
    public async Task<(InsuranceFundState State, string? ETag, Dictionary<string, decimal> Applied)> Load(string fund, InsuranceFundState before)
    {
        var (table, partition) = (await tables.Get(Tables.Funds, fund), Key(fund));
        var rows = new List<TableEntity>();
        using (StorageCounter.Labelled(table.Name, "fund rows load"))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: 1000))
            {
                rows.Add(row);
            }
        }

        var stateRow = rows.Find(r => r.RowKey == StateKey);
        var state = stateRow is null ? before
            : serializer.Deserialize<InsuranceFundState>(StateColumns.Bytes(stateRow)) ?? throw new InvalidOperationException($"fund {fund}'s state row holds no state");
        var transfers = rows.Where(r => r.RowKey != StateKey)
            .Select(r => (Id: r.GetString("Id"), Amount: decimal.Parse(r.GetString("Amount"), CultureInfo.InvariantCulture), Commit: r.GetInt64("Commit")!.Value)).ToList();
        await PartitionBatch.Submit(table, transfers.Where(t => t.Commit > state.Commit).Select(t => Deletion(partition, t.Id)), "fund batch", "transfer row");
        return (state, stateRow?.ETag.ToString(), transfers.Where(t => t.Commit <= state.Commit).ToDictionary(t => t.Id, t => t.Amount));
    }

    /// <summary>
    /// Stores <paramref name="state"/> (serialized by the caller before any await: it must count exactly
    /// the transfers whose rows this write stores), numbered <paramref name="commit"/>, with the rows of
    /// <paramref name="applied"/> and the deletion of <paramref name="forgotten"/>; returns the state row's ETag.
    /// </summary>
    public async Task<string> Write(string fund, byte[] state, long commit, string? etag,
        IReadOnlyDictionary<string, decimal> applied, IReadOnlyCollection<string> forgotten, Action beforeState)
    {
        var (table, partition) = (await tables.Get(Tables.Funds, fund), Key(fund));
        List<TableTransactionAction> rows =
        [
            .. applied.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, Key(t.Key))
            {
                ["Id"] = t.Key,
                ["Amount"] = t.Value.ToString(CultureInfo.InvariantCulture),
                ["Commit"] = commit,
            })),
            .. forgotten.Select(id => Deletion(partition, id)),
        ];

        // Beside the state: the first 99 rows, new ones first. New rows beyond go before the state;
        // deletions beyond go alongside (a forgotten id may go whenever), off the write's path.
        var beside = Math.Min(rows.Count, PartitionBatch.Max - 1);
        var deletions = rows[beside..].Where(r => r.ActionType == TableTransactionActionType.Delete).ToList();
        var stored = Store(table, fund, partition, state, etag, rows[..beside], [.. rows[beside..].Where(r => r.ActionType != TableTransactionActionType.Delete)], beforeState);
        await Task.WhenAll(stored, PartitionBatch.Submit(table, deletions, "fund batch", "transfer row"));
        return await stored;
    }

    private static async Task<string> Store(TableClient table, string fund, string partition, byte[] state, string? etag,
        List<TableTransactionAction> beside, List<TableTransactionAction> first, Action beforeState)
    {
        await PartitionBatch.Submit(table, first, "fund batch", "transfer row");
        beforeState();

        var row = StateColumns.Row(partition, StateKey, state, $"fund {fund}");
        var write = etag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(etag));
        try
        {
            var answered = await PartitionBatch.One(table, [write, .. beside], "fund batch", "transfer row");
            EngineMetrics.StorageRows.Add(1, [new("table", table.Name), new("kind", "fund state row")]);
            return answered?.Value[0].Headers.ETag?.ToString() ?? "*"; // tables in memory keep no ETags
        }
        catch (TableTransactionFailedException failed) when (failed.Status is 409 or 412 && failed.FailedTransactionActionIndex is null or 0)
        {
            throw new InconsistentStateException($"fund {fund}'s state was written by another activation ({failed.ErrorCode})", etag ?? "", "unknown");
        }
    }

    /// <summary>Deletes the rows of <paramref name="forgotten"/>, whatever wrote them.</summary>
    public async Task Delete(string fund, IReadOnlyCollection<string> forgotten)
    {
        var (table, partition) = (await tables.Get(Tables.Funds, fund), Key(fund));
        await PartitionBatch.Submit(table, forgotten.Select(id => Deletion(partition, id)), "fund batch", "transfer row");
    }

    public byte[] Serialized(InsuranceFundState state) => serializer.SerializeToArray(state);

    private static TableTransactionAction Deletion(string partition, string id) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, Key(id)), ETag.All);

    /// <summary>
    /// A key as Azure Table takes it (the id itself is a column): ids hold '/' and '#', which keys may
    /// not, and a batch's delete names its row in a URL, where '+' would read as a space.
    /// </summary>
    private static string Key(string id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));
}
