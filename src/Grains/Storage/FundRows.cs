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
/// An insurance fund's rows, one partition per fund: its state row (<see cref="StateKey"/>) and rows
/// of the transfers it has applied and their senders have not yet confirmed (<see cref="AppliedRow"/>:
/// each write's new ids in one row, rewritten as they are confirmed). Those grow with what is in flight
/// (a whole cascade), which the state row, capped at 1 MB by Azure Table, must not hold. A write is
/// one entity-group transaction of the state and up to 99 rows, all or nothing, as an account's state
/// goes with its journal rows. A write of more first writes the rest; each row is tagged with the
/// number of the write that stored its ids, and the state records the number of the last write that
/// landed, so a row whose write never landed holds no applied transfer, and is deleted when the fund
/// loads. A row stored before holds one transfer alone, keyed by its id: read the same way.
/// </summary>
public sealed class FundRows(Tables tables, Serializer serializer)
{
    /// <summary>'!' sorts before every other row's key ('~' and base64url).</summary>
    public const string StateKey = "!fund";

    /// <summary>
    /// The fund's state — <paramref name="before"/> if it has no row here yet (stored before in Orleans'
    /// rows) — with its row's ETag and the rows of transfers applied by writes that landed. Read ahead of
    /// the silo's storage queue: every liquidation of the fund's markets waits for it (a fund first
    /// called in a cascade waited ~5 s behind its positions' writes).
    /// </summary>
    public async Task<(InsuranceFundState State, string? ETag, List<AppliedRow> Applied)> Load(string fund, InsuranceFundState before)
    {
        using var ahead = StorageAdmission.FirstInLine();
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
        var applied = rows.Where(r => r.RowKey != StateKey).Select(Read).ToList();
        await PartitionBatch.Submit(table, applied.Where(r => r.Commit > state.Commit).Select(r => Deletion(partition, r.Key)), "fund batch", "transfer row");
        return (state, stateRow?.ETag.ToString(), [.. applied.Where(r => r.Commit <= state.Commit)]);
    }

    /// <summary>
    /// Stores <paramref name="state"/> (serialized by the caller before any await: it must count exactly
    /// the transfers whose rows this write stores), numbered <paramref name="commit"/>, with
    /// <paramref name="applied"/>: new rows first, then rows that lost ids. Returns the state row's ETag.
    /// </summary>
    public async Task<string> Write(string fund, byte[] state, long commit, string? etag, IReadOnlyList<AppliedRow> applied, Action beforeState)
    {
        var (table, partition) = (await tables.Get(Tables.Funds, fund), Key(fund));
        var rows = applied.Select(r => (r.Commit, Action: Action(partition, r))).ToList();

        // Beside the state: the first 99 rows, new ones first. New rows beyond go before the state. A
        // row that only lost ids may go whenever, with or without the state: those beyond go alongside.
        var rest = rows.Skip(PartitionBatch.Max - 1).ToList();
        var first = rest.Where(r => r.Commit == commit).Select(r => r.Action).ToList();
        var alongside = rest.Where(r => r.Commit != commit).Select(r => r.Action);
        var stored = Store(table, fund, partition, state, etag, [.. rows.Take(PartitionBatch.Max - 1).Select(r => r.Action)], first, beforeState);
        await Task.WhenAll(stored, PartitionBatch.Submit(table, alongside, "fund batch", "transfer row"));
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

    /// <summary>Rewrites rows that lost ids (deletes those left empty), without the state: as the fund deactivates.</summary>
    public async Task Tidy(string fund, IReadOnlyList<AppliedRow> shrunk)
    {
        var (table, partition) = (await tables.Get(Tables.Funds, fund), Key(fund));
        await PartitionBatch.Submit(table, shrunk.Select(r => Action(partition, r)), "fund batch", "transfer row");
    }

    public byte[] Serialized(InsuranceFundState state) => serializer.SerializeToArray(state);

    /// <summary>A row of transfers: its ids and amounts in the columns a state takes; one left empty is deleted.</summary>
    private TableTransactionAction Action(string partition, AppliedRow row)
    {
        if (row.Transfers.Count == 0)
        {
            return Deletion(partition, row.Key);
        }

        var entity = StateColumns.Row(partition, row.Key, serializer.SerializeToArray(row.Transfers), $"row {row.Key} of applied transfers");
        entity["Commit"] = row.Commit;
        return new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity);
    }

    /// <summary>A row of transfers as <see cref="Action"/> writes it, or one stored before: a transfer alone, keyed by its id.</summary>
    public AppliedRow Read(TableEntity row) => new(row.RowKey, row.GetInt64("Commit")!.Value, row.ContainsKey("Id")
        ? new() { [row.GetString("Id")] = decimal.Parse(row.GetString("Amount"), CultureInfo.InvariantCulture) }
        : serializer.Deserialize<Dictionary<string, decimal>>(StateColumns.Bytes(row)) ?? throw new InvalidOperationException($"row {row.RowKey} of applied transfers holds none"));

    private static TableTransactionAction Deletion(string partition, string key) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, key), ETag.All);

    /// <summary>
    /// A fund's key as Azure Table takes it: symbols may hold characters keys may not, and a batch's
    /// delete names its row in a URL, where '+' would read as a space. Rows stored before keyed transfers by their ids so.
    /// </summary>
    internal static string Key(string id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));
}
