using System.Globalization;
using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>A journal entry's table row: its columns, written in the current format and read in any.</summary>
public static class JournalRow
{
    /// <summary>Zero-padded, so that rows sort by sequence.</summary>
    public static string Key(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// A row in the current format (<see cref="JournalFormat"/>): an entry kept in state by an older
    /// build is typed first. A kind's detail column is written only on rows of that kind.
    /// </summary>
    public static TableEntity Of(string accountId, JournalEntry entry)
    {
        var e = JournalFormat.Typed(entry);
        var row = new TableEntity(accountId, Key(e.Sequence))
        {
            ["Format"] = JournalFormat.Current,
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
        Detail(row, "Leverage", e.Leverage);
        Detail(row, "MarginMode", (int?)e.MarginMode);
        Detail(row, "LeverageCap", e.LeverageCap);
        Detail(row, "Fund", e.Fund);
        Detail(row, "LegSide", e.LegSide == Positions.LegSide.Both ? null : (int?)e.LegSide);
        Detail(row, "PositionMode", (int?)e.PositionMode);
        Detail(row, "OrderId", e.OrderId);
        Detail(row, "Note", e.Note);
        return row;
    }

    /// <summary>Any format's row in the typed shape: an original row's punned details are mapped to their own fields.</summary>
    public static JournalEntry Read(TableEntity row)
    {
        var entry = new JournalEntry(
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
            row.GetString("RequestId"),
            row.GetInt32("Leverage"),
            (MarginMode?)row.GetInt32("MarginMode"),
            row.GetInt32("LeverageCap"),
            row.GetString("Fund"),
            (Positions.LegSide)(row.GetInt32("LegSide") ?? 0),
            (PositionMode?)row.GetInt32("PositionMode"),
            row.GetInt64("OrderId"),
            row.GetString("Note"));
        return (row.GetInt32("Format") ?? JournalFormat.Original) == JournalFormat.Original ? JournalFormat.Typed(entry) : entry;
    }

    private static void Detail(TableEntity row, string column, object? value)
    {
        if (value is not null)
        {
            row[column] = value;
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Number(TableEntity row, string name) => decimal.Parse(row.GetString(name), CultureInfo.InvariantCulture);
}
