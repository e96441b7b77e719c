using System.Diagnostics;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>What a load run left open for a restart (<c>--keep-open FILE</c>): the market, and the position its walk down crosses first.</summary>
public sealed record KeptOpen(string Symbol, Trader First, decimal LiquidationPrice, int Positions, double OpenSeconds, double StorageOperationsPerOpen, int Shards);

/// <summary>The restarted silo's storage accounts and table prefix, to read its trigger rows straight (<see cref="ShardReadFloor"/>).</summary>
public sealed record StorageTables(IReadOnlyList<string> Connections, string TablePrefix);

/// <summary>
/// The first crossing tick after a restart (<c>--first-crossing FILE --ready-at MS</c>, scripts/restart.sh):
/// the silo came back over storage holding every position of <see cref="KeptOpen"/>; the probe publishes
/// the first position's liquidation price at once and measures, from the moment the silo was ready,
/// when the tick was answered (its market and trigger shards activated, their rows read) and when the
/// liquidation was journaled, and the storage operations the restarted silo sent for each. Given the
/// storage, it then reads the same shard rows straight from it (the silo idle by then): the floor
/// the first tick's time is measured against.
/// </summary>
public static class RestartProbe
{
    public static async Task<bool> Run(ILoadTarget target, KeptOpen kept, DateTimeOffset readyAt, Probes probes, StorageTables? storage, string title, CancellationToken cancel)
    {
        var started = DateTimeOffset.UtcNow;
        var beforeTick = await probes.Read();
        var crossing = Math.Floor(kept.LiquidationPrice / LoadMarket.TickSize) * LoadMarket.TickSize; // a long's liquidation fires at or below
        var fired = await Answered(() => target.PublishPrice(kept.Symbol, crossing), cancel);
        var tickAnswered = DateTimeOffset.UtcNow;
        var afterTick = await probes.Read();

        // A benchmark's poll, not a test's: the journal row's own stamp is the figure, not when the poll saw it.
        var clock = Stopwatch.StartNew();
        DateTimeOffset? journaled = null;
        while (journaled is null && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            journaled = (await Answered(() => target.Journal(kept.First, kept.Symbol), cancel)).Liquidated;
            await Task.Delay(journaled is null ? 50 : 0, cancel);
        }

        var floor = storage is null ? ((TimeSpan Elapsed, int Rows, int Queries)?)null
            : await ShardReadFloor.Measure(storage.Connections, storage.TablePrefix, kept.Symbol, kept.Shards);

        var table = new Table().Title(title).AddColumns("measure", "value");
        table.AddRow("positions kept open over the restart", $"{kept.Positions:N0} (opened in {kept.OpenSeconds:F1} s, {kept.StorageOperationsPerOpen:F2} storage operations each)");
        table.AddRow("silo ready → the probe's first call", $"{(started - readyAt).TotalMilliseconds:N0} ms");
        table.AddRow("silo ready → first crossing tick answered", $"{(tickAnswered - readyAt).TotalMilliseconds:N0} ms, {fired:N0} triggers fired");
        if (floor is { } f)
        {
            table.AddRow("floor: its shards' rows read straight from storage", $"{f.Elapsed.TotalMilliseconds:N0} ms ({f.Rows:N0} rows, {f.Queries:N0} queries, {kept.Shards} shards side by side)");
            table.AddRow("the probe's first call → tick answered, ÷ floor", $"{(tickAnswered - started).TotalMilliseconds:N0} ms, {(tickAnswered - started) / f.Elapsed:F2}");
        }

        table.AddRow("silo ready → its first liquidation journaled", journaled is { } at ? $"{(at - readyAt).TotalMilliseconds:N0} ms" : "not within 5 min");
        table.AddRow("storage operations: the silo's start / the first tick", $"{beforeTick.StorageOperations:N0} / {afterTick.StorageOperations - beforeTick.StorageOperations:N0}");
        foreach (var (kind, count) in afterTick.Operations.OrderBy(o => o.Key))
        {
            table.AddRow($"  {kind}", $"{beforeTick.Operations.GetValueOrDefault(kind):N0} / {count - beforeTick.Operations.GetValueOrDefault(kind):N0}");
        }

        AnsiConsole.Write(table);
        return journaled is not null;
    }

    /// <summary>Calls until answered: the silo listens before its grains can be served. A refusal is final.</summary>
    private static async Task<T> Answered<T>(Func<Task<T>> call, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not InvalidOperationException && attempt < 600 && !cancel.IsCancellationRequested)
            {
                await Task.Delay(50, cancel);
            }
        }
    }
}
