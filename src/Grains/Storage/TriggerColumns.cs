using System.Globalization;
using Azure.Data.Tables;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>
/// A trigger entry as columns of a table row, their names after a prefix: a shard's own row holds
/// one entry under no prefix, its owner the row key (<see cref="TriggerStore"/>); an isolated
/// position's row holds its own entries, one prefix per kind (<see cref="PositionTriggers"/>).
/// </summary>
internal static class TriggerColumns
{
    public static IEnumerable<string> Names(string prefix) =>
        new[] { "Direction", "Price", "Frame", "CallbackRate", "Standing" }.Select(name => prefix + name);

    public static void Write(TableEntity row, string prefix, TriggerEntry entry)
    {
        row[prefix + "Direction"] = (int)entry.Direction;
        row[prefix + "Price"] = Text(entry.Price);
        row[prefix + "Frame"] = Text(entry.Frame);
        if (entry.CallbackRate != 0m)
        {
            row[prefix + "CallbackRate"] = Text(entry.CallbackRate);
        }

        if (entry.Standing is { } s)
        {
            // One column "quantity entry bankruptcy": the ranking's figures travel with the trigger.
            row[prefix + "Standing"] = string.Join(' ', new[] { s.Quantity, s.EntryPrice, s.BankruptcyPrice }.Select(Text));
        }
    }

    public static TriggerEntry Read(TableEntity row, string prefix, string owner) => new(
        owner,
        (TriggerDirection)row.GetInt32(prefix + "Direction")!.Value,
        Parse(row.GetString(prefix + "Price")),
        row.GetString(prefix + "Frame") is { } frame ? Parse(frame) : 0m,
        row.GetString(prefix + "Standing") is { } standing ? ParseStanding(standing) : null,
        row.GetString(prefix + "CallbackRate") is { } rate ? Parse(rate) : 0m);

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Parse(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static PositionStanding ParseStanding(string text)
    {
        var parts = text.Split(' ');
        return new PositionStanding(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
    }
}
