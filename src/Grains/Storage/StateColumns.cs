using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>A grain state's bytes in one table row: split over binary columns of at most 64 KB (a property's limit).</summary>
public static class StateColumns
{
    private const int ColumnBytes = 64 * 1024;

    /// <summary>Columns Data0…Data14: 960 KB, under an entity's 1 MB.</summary>
    private const int ColumnsMax = 15;

    public static TableEntity Row(string partition, string key, byte[] bytes, string what)
    {
        var columns = (bytes.Length + ColumnBytes - 1) / ColumnBytes;
        Invariant.Assert(columns <= ColumnsMax, $"{what}'s state is {bytes.Length} bytes: more than a row holds");
        var row = new TableEntity(partition, key) { ["Columns"] = columns };
        for (var i = 0; i < columns; i++)
        {
            row[$"Data{i}"] = bytes.AsSpan(i * ColumnBytes, Math.Min(ColumnBytes, bytes.Length - (i * ColumnBytes))).ToArray();
        }

        return row;
    }

    public static byte[] Bytes(TableEntity row) =>
        [.. Enumerable.Range(0, row.GetInt32("Columns")!.Value).SelectMany(i => row.GetBinary($"Data{i}"))];
}
