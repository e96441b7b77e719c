namespace MarginOrleans.LoadTest;

/// <summary>
/// The storage's own time for the cascade's own writes: each kind of write the silo counted in the
/// cascade, sent alone at its measured rate — a batch at the rows per batch the cascade's batches
/// of that table carried. A fund's batch of fifty transfer rows costs the table service more than
/// one conditional replace; the plain floor counts both as one write, this one does not. Each kind
/// is measured twice: in a new table, and in the table the cascade wrote to, as full as it left it
/// (on Azurite a row costs more in a larger table: it keeps each table in one in-memory collection).
/// </summary>
public sealed record MixFloor(IReadOnlyList<MixFloorLine> Lines)
{
    public double SecondsPerLiquidation => Lines.Sum(l => l.PerLiquidation / l.PerSecond);

    /// <summary>The same writes in the cascade's own tables; null if a table was not known.</summary>
    public double? SecondsPerLiquidationInTheirTables => Lines.All(l => l.PerSecondInItsTable is not null)
        ? Lines.Sum(l => l.PerLiquidation / l.PerSecondInItsTable!.Value) : null;

    /// <summary>Measures each of the cascade's write kinds at 32 in flight, on the storage the cascade used.</summary>
    public static async Task<MixFloor> Measure(string connection, LoadReport report, TimeSpan duration, CancellationToken cancel)
    {
        var lines = new List<MixFloorLine>();
        foreach (var (kind, perLiquidation, rows, table) in report.CascadeWrites())
        {
            var operation = rows > 0 ? FloorOperation.Batch($"transaction, {rows} rows", rows) : FloorOperation.ConditionalReplace;
            var alone = (await StorageFloor.Measure(connection, [operation], [32], duration, cancel))[0];
            lines.Add(new MixFloorLine(kind, perLiquidation, rows, alone.PerSecond, await InItsTable(connection, operation, table, duration, cancel)));
        }

        return new MixFloor(lines);
    }

    /// <summary>The rate in the cascade's own table; null if that table is not on this storage account (one of several).</summary>
    private static async Task<double?> InItsTable(string connection, FloorOperation operation, string? table, TimeSpan duration, CancellationToken cancel)
    {
        try
        {
            return table is null ? null : (await StorageFloor.Measure(connection, [operation], [32], duration, cancel, table))[0].PerSecond;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            Console.Error.WriteLine($"the cascade's table {table} is not on the storage account measured: {e.ErrorCode}");
            return null;
        }
    }
}

/// <summary>
/// One kind of the cascade's writes: how many per liquidation, the rows each batch carried (0: a
/// single-row write), and the storage's rate for it alone, in a new table and in the cascade's own.
/// </summary>
public sealed record MixFloorLine(string Kind, double PerLiquidation, int Rows, double PerSecond, double? PerSecondInItsTable);
