using System.Linq.Expressions;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Telemetry;
using Orleans.Serialization;

namespace MarginOrleans.Storage;

/// <summary>
/// Account journals as table rows (partition = account, row = zero-padded sequence), not as a
/// growing grain state; beside them, in the same partition and batches, one row per command's
/// request id (<c>!request:{hex}</c>) with what it asked for and its reply, so an id stays unique
/// for the account however many commands follow. Writes are upserts, so re-writing after a crash
/// is harmless.
/// </summary>
public sealed class JournalStore(Tables tables, Serializer serializer)
{
    /// <summary>'!' sorts before every digit: request rows stay out of a journal page's range.</summary>
    private const string RequestRow = "!request:";

    /// <summary>
    /// True where the account's state storage writes these rows with the state, in one batch
    /// (<see cref="AccountStateStorage"/>): the account then has nothing left to write after it.
    /// </summary>
    public bool WrittenWithState { get; init; }

    public async Task Write(string accountId, IReadOnlyList<JournalEntry> entries, IReadOnlyList<RequestRecord> requests)
    {
        if (entries.Count == 0 && requests.Count == 0)
        {
            return;
        }

        // Written after the state, not with it: only rows checked already, never a claim or a release.
        Invariant.Assert(requests.All(r => r.Write == RequestRowWrite.Upsert), "rows written beside the state are upserts");
        await Upsert(accountId, [.. Rows(accountId, entries, requests)]);
    }

    /// <summary>A request row's action in the account's batch: upserted, inserted only if absent, or deleted (<see cref="RequestRowWrite"/>).</summary>
    public TableTransactionAction RequestAction(string accountId, RequestRecord request) => request.Write switch
    {
        RequestRowWrite.Insert => new(TableTransactionActionType.Add, ToRow(accountId, request)),
        RequestRowWrite.Delete => new(TableTransactionActionType.Delete, new TableEntity(accountId, RequestKey(request.RequestId)), ETag.All),
        _ => new(TableTransactionActionType.UpsertReplace, ToRow(accountId, request)),
    };

    /// <summary>The rows of journal entries and request ids, in the order they are written.</summary>
    public IEnumerable<TableEntity> Rows(string accountId, IReadOnlyList<JournalEntry> entries, IReadOnlyList<RequestRecord> requests) =>
        entries.Select(e => JournalRow.Of(accountId, e)).Concat(requests.Select(r => ToRow(accountId, r)));

    /// <summary>Upserts rows of one account's partition, in batches of 100: re-writing after a crash is harmless.</summary>
    public async Task Upsert(string accountId, IReadOnlyList<TableEntity> rows)
    {
        var table = await tables.Get(Tables.Journal, accountId);
        using var counted = StorageCounter.Labelled(table.Name, "journal batch");
        foreach (var chunk in rows.Chunk(PartitionBatch.Max))
        {
            Invariant.Assert(chunk.All(row => row.PartitionKey == accountId), "a batch holds one account's partition");
            using var weighed = StorageAdmission.Rows(chunk.Length);
            await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            CountRows(table, chunk);
        }
    }

    /// <summary>Counts written journal and request rows by kind (the storage counter counts the operations).</summary>
    public static void CountRows(TableClient table, IReadOnlyCollection<TableEntity> rows)
    {
        var requestRows = rows.Count(row => row.RowKey.StartsWith(RequestRow, StringComparison.Ordinal));
        EngineMetrics.StorageRows.Add(rows.Count - requestRows, Tagged(table, "journal row"));
        EngineMetrics.StorageRows.Add(requestRows, Tagged(table, "request row"));
    }

    /// <summary>The command an account ran under <paramref name="requestId"/>, if any (a claim's has no reply yet): one point read.</summary>
    public async Task<RequestRecord?> FindRequest(string accountId, string requestId)
    {
        var table = await tables.Get(Tables.Journal, accountId);
        var key = RequestKey(requestId);
        using var counted = StorageCounter.Labelled(table.Name, "request row read");
        await foreach (var found in table.QueryAsync<TableEntity>(e => e.PartitionKey == accountId && e.RowKey == key, maxPerPage: 1))
        {
            return new RequestRecord(requestId, found.GetString("Fingerprint"), found.GetBinary("Result") is { } result ? serializer.Deserialize<CommandResult>(result) : null);
        }

        return null;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows from <paramref name="fromSequence"/> on, in order; with
    /// <paramref name="only"/>, only rows of that kind written at or after its time — filtered by
    /// the table, so a page carries only the rows asked for.
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> Read(string accountId, long fromSequence, int limit, (JournalKind Kind, DateTimeOffset Since)? only = null)
    {
        var table = await tables.Get(Tables.Journal, accountId);
        var from = JournalRow.Key(fromSequence);
        // The table's query language compares times as UTC DateTime (it has no DateTimeOffset getter).
        var (kind, since) = only is { } o ? ((int)o.Kind, o.Since.UtcDateTime) : (0, default);
        Expression<Func<TableEntity, bool>> filter = only is null
            ? e => e.PartitionKey == accountId && e.RowKey.CompareTo(from) >= 0
            : e => e.PartitionKey == accountId && e.RowKey.CompareTo(from) >= 0 && e.GetInt32("Kind") == kind && e.GetDateTime("Time") >= since;
        var entries = new List<JournalEntry>();
        using var counted = StorageCounter.Labelled(table.Name, "journal page read");
        await foreach (var row in table.QueryAsync(filter, maxPerPage: limit))
        {
            entries.Add(JournalRow.Read(row));
            if (entries.Count == limit)
            {
                break;
            }
        }

        return entries;
    }

    private static KeyValuePair<string, object?>[] Tagged(TableClient table, string kind) => [new("table", table.Name), new("kind", kind)];

    /// <summary>Hex, since a request id may hold characters a row key may not ('/', '#', '?').</summary>
    private static string RequestKey(string requestId) => RequestRow + Convert.ToHexString(Encoding.UTF8.GetBytes(requestId));

    private TableEntity ToRow(string accountId, RequestRecord r)
    {
        var row = new TableEntity(accountId, RequestKey(r.RequestId)) { ["Fingerprint"] = r.Fingerprint };
        if (r.Result is { } result)
        {
            row["Result"] = serializer.SerializeToArray(result);
        }

        return row;
    }
}
