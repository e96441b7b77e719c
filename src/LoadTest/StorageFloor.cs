using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using HdrHistogram;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>
/// The storage floor: how many writes per second the table service itself takes, with nothing of
/// the engine in the way — every worker sends one write after another, each on its own partition,
/// for a fixed time. A cascade that needs W writes per liquidation cannot journal N liquidations
/// faster than N × W ÷ this rate: the ratio of the two says how much the engine adds.
/// </summary>
public static class StorageFloor
{
    /// <summary>
    /// Every operation at every concurrency, on a fresh table that is deleted afterwards — or in the
    /// existing table <paramref name="inTable"/>, on partitions of its own whose rows are deleted afterwards.
    /// </summary>
    public static async Task<List<FloorFigure>> Measure(string connection, IReadOnlyList<FloorOperation> operations, IReadOnlyList<int> concurrencies, TimeSpan duration,
        CancellationToken cancel, string? inTable = null)
    {
        var table = new TableServiceClient(connection).GetTableClient(inTable ?? "floor" + Guid.NewGuid().ToString("N")[..12]);
        if (inTable is null)
        {
            await table.CreateAsync(cancel);
        }

        var written = new List<(string Partition, FloorOperation Operation)>();
        try
        {
            // A second of each at one in flight, not reported: the table service's own code warmed
            // (Azurite is Node: its first requests run unoptimised), so the first operation measured pays no more.
            foreach (var operation in operations)
            {
                await Measure(table, operation, 1, TimeSpan.FromSeconds(1), written, cancel);
            }

            var figures = new List<FloorFigure>();
            foreach (var operation in operations)
            {
                foreach (var concurrency in concurrencies)
                {
                    figures.Add(await Measure(table, operation, concurrency, duration, written, cancel));
                }
            }

            return figures;
        }
        finally
        {
            await (inTable is null ? table.DeleteAsync(CancellationToken.None) : DeleteFloorRows(table, written));
        }
    }

    /// <summary>The rows the floor wrote into a table it did not create: each partition's, one batch each.</summary>
    private static async Task DeleteFloorRows(TableClient table, IEnumerable<(string Partition, FloorOperation Operation)> written)
    {
        foreach (var (partition, operation) in written)
        {
            foreach (var rows in operation.RowKeys.Chunk(100))
            {
                await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, row), ETag.All)));
            }
        }
    }

    private static async Task<FloorFigure> Measure(TableClient table, FloorOperation operation, int concurrency, TimeSpan duration,
        List<(string Partition, FloorOperation Operation)> written, CancellationToken cancel)
    {
        var partitions = Enumerable.Range(0, concurrency).Select(w => $"floor-{Guid.NewGuid().ToString("N")[..8]}-{w}").ToList();
        written.AddRange(partitions.Select(p => (p, operation)));
        var sends = await Task.WhenAll(partitions.Select(partition => operation.Prepare(table, partition)));
        // Once each before the clock starts: connections opened and the code path compiled.
        await Task.WhenAll(sends.Select(send => send()));
        var histograms = sends.Select(_ => new LongHistogram(TimeSpan.FromMinutes(1).Ticks / 10, 3)).ToArray(); // microseconds
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sends.Select((send, w) => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !cancel.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                await send();
                histograms[w].RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds));
            }
        }, cancel)));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = histograms[0];
        foreach (var h in histograms.Skip(1))
        {
            all.Add(h);
        }

        return new FloorFigure(operation.Name, concurrency, all.TotalCount, seconds, all.GetValueAtPercentile(50) / 1000d, all.GetValueAtPercentile(99) / 1000d);
    }

    public static void Print(string title, IEnumerable<FloorFigure> figures)
    {
        var table = new Table().Title(title).AddColumns("operation", "in flight", "ops/s", "p50", "p99");
        foreach (var f in figures)
        {
            table.AddRow(f.Operation, $"{f.Concurrency}", $"{f.PerSecond:N0}", $"{f.P50Ms:F2} ms", $"{f.P99Ms:F2} ms");
        }

        AnsiConsole.Write(table);
    }
}
