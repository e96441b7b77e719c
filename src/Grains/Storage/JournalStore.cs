using System.Globalization;
using Azure.Data.Tables;
using MarginOrleans.Accounts;

namespace MarginOrleans.Storage;

/// <summary>
/// Account journals as table rows (partition = account, row = zero-padded sequence), not as a
/// growing grain state. Writes are upserts by sequence, so re-writing after a crash is harmless.
/// </summary>
public sealed class JournalStore(Tables tables)
{
    public async Task Write(string accountId, IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var table = await tables.Get(Tables.Journal);
        foreach (var chunk in entries.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e =>
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToRow(accountId, e))));
        }
    }

    public async Task<IReadOnlyList<JournalEntry>> Read(string accountId, long fromSequence, int limit)
    {
        var table = await tables.Get(Tables.Journal);
        var from = RowKey(fromSequence);
        var entries = new List<JournalEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == accountId && e.RowKey.CompareTo(from) >= 0, maxPerPage: limit))
        {
            entries.Add(FromRow(row));
            if (entries.Count == limit)
            {
                break;
            }
        }

        return entries;
    }

    private static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity ToRow(string accountId, JournalEntry e) => new(accountId, RowKey(e.Sequence))
    {
        ["Time"] = e.Time,
        ["Kind"] = (int)e.Kind,
        ["Symbol"] = e.Symbol,
        ["Quantity"] = Text(e.Quantity),
        ["Price"] = Text(e.Price),
        ["WalletDelta"] = Text(e.WalletDelta),
        ["RealizedPnl"] = Text(e.RealizedPnl),
        ["Fee"] = Text(e.Fee),
        ["WalletBalance"] = Text(e.WalletBalance),
        ["RequestId"] = e.RequestId,
    };

    private static JournalEntry FromRow(TableEntity row) => new(
        long.Parse(row.RowKey, CultureInfo.InvariantCulture),
        row.GetDateTimeOffset("Time")!.Value,
        (JournalKind)row.GetInt32("Kind")!.Value,
        row.GetString("Symbol"),
        Number(row, "Quantity"),
        Number(row, "Price"),
        Number(row, "WalletDelta"),
        Number(row, "RealizedPnl"),
        Number(row, "Fee"),
        Number(row, "WalletBalance"),
        row.GetString("RequestId"));

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Number(TableEntity row, string name) => decimal.Parse(row.GetString(name), CultureInfo.InvariantCulture);
}
