namespace MarginOrleans.LoadTest;

/// <summary>
/// The storage's own time for the cascade's own writes: each kind of write the silo counted in the
/// cascade, sent alone at its measured rate — a batch at the rows per batch the cascade's batches
/// of that table carried. A fund's batch of fifty transfer rows costs the table service more than
/// one conditional replace; the plain floor counts both as one write, this one does not.
/// </summary>
public sealed record MixFloor(IReadOnlyList<MixFloorLine> Lines)
{
    public double SecondsPerLiquidation => Lines.Sum(l => l.PerLiquidation / l.PerSecond);

    /// <summary>Measures each of the cascade's write kinds at 32 in flight, on the storage the cascade used.</summary>
    public static async Task<MixFloor> Measure(string connection, LoadReport report, TimeSpan duration, CancellationToken cancel)
    {
        var lines = new List<MixFloorLine>();
        foreach (var (kind, perLiquidation, rows) in report.CascadeWrites())
        {
            var operation = rows > 0 ? FloorOperation.Batch($"transaction, {rows} rows", rows) : FloorOperation.ConditionalReplace;
            var figure = (await StorageFloor.Measure(connection, [operation], [32], duration, cancel))[0];
            lines.Add(new MixFloorLine(kind, perLiquidation, rows, figure.PerSecond));
        }

        return new MixFloor(lines);
    }
}

/// <summary>One kind of the cascade's writes: how many per liquidation, the rows each batch carried (0: a single-row write), and the storage's rate for it alone.</summary>
public sealed record MixFloorLine(string Kind, double PerLiquidation, int Rows, double PerSecond);
