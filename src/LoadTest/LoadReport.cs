using HdrHistogram;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>What a load run measured; printed as a table and optionally saved as JSON for docs/.</summary>
public sealed class LoadReport
{
    public string Symbol { get; set; } = "";
    public int Positions { get; set; }

    /// <summary>Accounts in hedge mode (<c>--hedge-share</c>), of them those with a SHORT leg too, and the SHORT legs the index still held once settled.</summary>
    public int HedgeAccounts { get; set; }
    public int ShortLegs { get; set; }
    public int ShortLegsLeft { get; set; }

    /// <summary>Every command the opening phase sent: create, deposit and open, and a hedge account's mode change and second leg.</summary>
    public long Commands { get; set; }
    public double OpenSeconds { get; set; }
    public int Ticks { get; set; }
    public double IdleTicksPerSecond { get; set; }
    public double StorageOperationsPerIdleTick { get; set; }

    /// <summary>The same number of ticks from several named sources at once: ticks in flight together share a write.</summary>
    public double SourceTicksPerSecond { get; set; }
    public double StorageOperationsPerSourceTick { get; set; }

    /// <summary>The same ticks with <c>--watchers</c> live mark streams open, and how many marks each watcher received of them.</summary>
    public double IdleTicksPerSecondWatched { get; set; }

    /// <summary>Idle ticks with the walk's pauses between them: the pace the walk keeps when nothing crosses.</summary>
    public double PacedIdleTicksPerSecond { get; set; }
    public double MarksPerWatcher { get; set; }
    public double TickSeconds { get; set; }

    /// <summary>The walk's ticks' own time, its pauses left out: how fast the market answers ticks during the cascade.</summary>
    public double TickAnswerSeconds { get; set; }
    public Dictionary<string, double> TickAnswerMs { get; set; } = [];

    /// <summary>
    /// Group commits' writes by kind, mean milliseconds from sent to durable: [among the idle ticks,
    /// in the cascade] (NaN where none was written). A tick is answered once its mark's write is durable.
    /// </summary>
    public Dictionary<string, double[]> GroupCommitWriteMs { get; set; } = [];
    public int Fired { get; set; }
    public double IndexEmptySeconds { get; set; }
    public double LastJournaledSeconds { get; set; }
    public int Missing { get; set; }
    public int NotExactlyOnce { get; set; }
    public Dictionary<string, int> Errors { get; set; } = [];
    public double LongestOutageSeconds { get; set; }
    public int KeysLost { get; set; }
    public decimal Discrepancy { get; set; }

    /// <summary>The operator's audit at the end, every account visited: its time, retries included.</summary>
    public double AuditSeconds { get; set; }
    public Dictionary<string, double> CommandMs { get; set; } = [];
    public Dictionary<string, double> LiquidationMs { get; set; } = [];
    public double StorageOperationsPerOpen { get; set; }
    public double StorageOperationsPerLiquidation { get; set; }

    /// <summary>The position commands sent before the walk (--position-commands), one kind at a time.</summary>
    public List<StepFigure> PositionSteps { get; set; } = [];

    /// <summary>Owners the trigger shards woke per liquidation: all of them, and those among them woken again for not answering in time.</summary>
    public double[] WakeUpsPerLiquidation { get; set; } = [];

    /// <summary>Requests other than reads: what the storage floor below is measured in.</summary>
    public double StorageWritesPerLiquidation { get; set; }

    /// <summary>Per "operation (table)", per create + deposit + open and per liquidation; batch rows by kind likewise.</summary>
    public Dictionary<string, double> StorageOperationsPerOpenByKind { get; set; } = [];

    /// <summary>With --keep-open: what the run left open for a restart.</summary>
    public KeptOpen? Kept { get; set; }
    public Dictionary<string, double> StorageOperationsPerLiquidationByKind { get; set; } = [];
    public Dictionary<string, double> RowsPerOpenByKind { get; set; } = [];
    public Dictionary<string, double> RowsPerLiquidationByKind { get; set; } = [];

    /// <summary>Conditional replaces per second the same storage took just before the run (<see cref="StorageFloor"/>); null when not measured.</summary>
    public FloorFigure? Floor { get; set; }

    /// <summary>The storage's time for the cascade's own mix of writes (<see cref="LoadTest.MixFloor"/>), measured after it; null when not measured.</summary>
    public MixFloor? MixFloor { get; set; }

    /// <summary>The table each role was written to (the silo's names, by role): where the cascade left its rows.</summary>
    public Dictionary<string, string> CascadeTables { get; set; } = [];

    /// <summary>
    /// The cascade's writes by kind, per liquidation, with the rows a batch of that table carried
    /// on average (0 for a single-row write) and the table they went to: what <see cref="LoadTest.MixFloor"/> measures.
    /// </summary>
    public IEnumerable<(string Kind, double PerLiquidation, int Rows, string? Table)> CascadeWrites()
    {
        // Writes to rows only: no read, and no table created on the way.
        foreach (var (kind, perLiquidation) in StorageOperationsPerLiquidationByKind.Where(k => !k.Key.Contains("read") && !k.Key.Contains("load") && !k.Key.EndsWith("(Tables)", StringComparison.Ordinal)))
        {
            var role = kind[(kind.LastIndexOf('(') + 1)..^1];
            var rows = RowsPerLiquidationByKind.Where(r => r.Key.EndsWith($"({role})", StringComparison.Ordinal)).Sum(r => r.Value);
            var batch = kind.Contains("batch", StringComparison.Ordinal);
            yield return (kind, perLiquidation, batch ? (int)Math.Clamp(Math.Round(rows / perLiquidation), 1, 100) : 0, CascadeTables.GetValueOrDefault(role));
        }
    }

    public Dictionary<string, double> CpuMsPerOpen { get; set; } = [];
    public Dictionary<string, double> CpuMsPerLiquidation { get; set; } = [];

    /// <summary>
    /// Each process's CPU seconds from the first tick until the cascade settled, over the wall
    /// seconds between: near 1 for Azurite (one Node thread) means the storage itself was the bound.
    /// </summary>
    public Dictionary<string, double> CoresBusyInCascade { get; set; } = [];

    public double CommandsPerSecond => Commands / OpenSeconds;

    /// <summary>
    /// The cascade's window, from the walk's first tick to every liquidation delivered, in seconds of
    /// the machine's monotonic clock: what a profiler of the storage (scripts/load.sh --profile-azurite) cuts its samples to.
    /// </summary>
    public double[] CascadeMonotonicSeconds { get; set; } = [];

    /// <summary>The window of <see cref="MixFloor"/>'s measurement after the cascade, on the same clock.</summary>
    public double[] FloorMonotonicSeconds { get; set; } = [];

    public void Fill(LongHistogram commands, LongHistogram liquidations, LongHistogram tickAnswers, Probes.Reading before, Probes.Reading opened, Probes.Reading idled, Probes.Reading beforeWalk, Probes.Reading settled, Probes probes)
    {
        Commands = commands.TotalCount;
        CommandMs = Percentiles(commands);
        LiquidationMs = Percentiles(liquidations);
        TickAnswerMs = Percentiles(tickAnswers);
        StorageOperationsPerOpen = (double)(opened.StorageOperations - before.StorageOperations) / Positions;
        StorageOperationsPerLiquidation = (double)(settled.StorageOperations - beforeWalk.StorageOperations) / Positions;
        StorageWritesPerLiquidation = (double)(settled.StorageWrites - beforeWalk.StorageWrites) / Positions;
        WakeUpsPerLiquidation = [(double)(settled.Woken - beforeWalk.Woken) / Positions, (double)(settled.WokenAgain - beforeWalk.WokenAgain) / Positions];
        StorageOperationsPerOpenByKind = PerPosition(before.Operations, opened.Operations);
        StorageOperationsPerLiquidationByKind = PerPosition(beforeWalk.Operations, settled.Operations);
        RowsPerOpenByKind = PerPosition(before.Rows, opened.Rows);
        RowsPerLiquidationByKind = PerPosition(beforeWalk.Rows, settled.Rows);
        CascadeTables = new Dictionary<string, string>(settled.Tables);
        GroupCommitWriteMs = settled.GroupCommitWrites.Keys.ToDictionary(kind => kind, kind =>
            new[] { MeanWriteMs(opened, idled, kind), MeanWriteMs(beforeWalk, settled, kind) });
        CascadeMonotonicSeconds = [MonotonicSeconds(beforeWalk.Timestamp), MonotonicSeconds(settled.Timestamp)];
        foreach (var pid in probes.Pids)
        {
            CpuMsPerOpen[Probes.Name(pid)] = (opened.CpuSeconds[pid] - before.CpuSeconds[pid]) * 1000 / Positions;
            CpuMsPerLiquidation[Probes.Name(pid)] = (settled.CpuSeconds[pid] - beforeWalk.CpuSeconds[pid]) * 1000 / Positions;
            CoresBusyInCascade[Probes.Name(pid)] = (settled.CpuSeconds[pid] - beforeWalk.CpuSeconds[pid])
                / System.Diagnostics.Stopwatch.GetElapsedTime(beforeWalk.Timestamp, settled.Timestamp).TotalSeconds;
        }
    }

    public void Print(string title)
    {
        var table = new Table().Title(title).AddColumns("measure", "value");
        table.AddRow("positions opened", $"{Positions:N0} in {OpenSeconds:F1} s: {CommandsPerSecond:N0} commands/s (create + deposit + open{(HedgeAccounts > 0 ? "; a hedge account's mode and short leg" : "")})");
        table.AddRow("hedge accounts (a LONG leg; every second a SHORT leg too)", HedgeAccounts == 0
            ? "0: every account one-way"
            : $"{HedgeAccounts:N0} of {Positions:N0}, {ShortLegs:N0} with a SHORT leg; {ShortLegsLeft:N0} left in the index after the walk down");
        table.AddRow("command latency p50 / p90 / p99 / max", Row(CommandMs));
        table.AddRow("ticks crossing nothing, one at a time", $"{IdleTicksPerSecond:N0}/s, {StorageOperationsPerIdleTick:F2} storage operations per tick");
        table.AddRow($"as many from {LoadRun.SourceFeeds} named sources at once", $"{SourceTicksPerSecond:N0}/s, {StorageOperationsPerSourceTick:F2} storage operations per tick");
        if (IdleTicksPerSecondWatched > 0)
        {
            table.AddRow("the same with live mark watchers", $"{IdleTicksPerSecondWatched:N0}/s, {MarksPerWatcher:N0} marks per watcher");
        }
        foreach (var step in PositionSteps)
        {
            var kinds = string.Join(", ", step.ByKind.Where(k => k.Value >= 0.005).OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value:F2}"));
            table.AddRow($"{step.Name}, every long", $"{step.Commands / step.Seconds:N0} commands/s, {step.StorageOperationsEach:F2} storage operations each ({kinds})");
        }

        table.AddRow("ticks", $"{Ticks} in {TickSeconds:F1} s ({Ticks / TickSeconds:N0}/s), {Fired:N0} triggers fired");
        if (PacedIdleTicksPerSecond > 0)
        {
            table.AddRow("the walk's pace: in the cascade ÷ idle, the same pauses", $"{Ticks / TickSeconds:F1}/s ÷ {PacedIdleTicksPerSecond:F1}/s = {Ticks / TickSeconds / PacedIdleTicksPerSecond:F2}");
        }

        table.AddRow("ticks answered during the cascade (pauses left out)", $"{Ticks / TickAnswerSeconds:N0}/s ({Ticks / TickAnswerSeconds / IdleTicksPerSecond:F2} × one at a time idle)");
        table.AddRow("tick answered p50 / p90 / p99 / max", Row(TickAnswerMs));
        table.AddRow("group commits' writes, sent → durable, mean: idle ticks / cascade", string.Join("; ", GroupCommitWriteMs.OrderBy(k => k.Key).Select(k =>
            $"{k.Key} {Ms(k.Value[0])} / {Ms(k.Value[1])}")) + $" (a tick answered in the cascade: {TickAnswerSeconds * 1000 / Ticks:F1} ms mean)");
        table.AddRow(ShortLegs == 0 ? "index empty (all delivered) after the first tick" : "index down to the short legs (all delivered) after the first tick", $"{IndexEmptySeconds:F1} s");
        table.AddRow("last liquidation journaled (its row's time: booked) after the first tick", $"{LastJournaledSeconds:F1} s ({Positions / LastJournaledSeconds:N0} liquidations/s)");
        table.AddRow("tick → liquidation journaled p50 / p90 / p99 / max", Row(LiquidationMs));
        table.AddRow("owners woken per liquidation: all = first + again (not answered in time)", WakeUpsPerLiquidation is [var all, var again]
            ? $"{all:F2} = {all - again:F2} + {again:F2}" : "—");
        table.AddRow("storage operations per open (3 commands) / per liquidation", $"{StorageOperationsPerOpen:F2} / {StorageOperationsPerLiquidation:F2} ({StorageWritesPerLiquidation:F2} writes)");
        table.AddRow("[bold]storage by kind[/]", "per create+deposit+open / per liquidation");
        foreach (var kind in StorageOperationsPerOpenByKind.Keys.Union(StorageOperationsPerLiquidationByKind.Keys).Order())
        {
            table.AddRow($"  {kind}", $"{StorageOperationsPerOpenByKind.GetValueOrDefault(kind):F2} / {StorageOperationsPerLiquidationByKind.GetValueOrDefault(kind):F2}");
        }

        foreach (var kind in RowsPerOpenByKind.Keys.Union(RowsPerLiquidationByKind.Keys).Order())
        {
            table.AddRow($"  rows carried: {kind}", $"{RowsPerOpenByKind.GetValueOrDefault(kind):F2} / {RowsPerLiquidationByKind.GetValueOrDefault(kind):F2}");
        }

        if (Floor is { } floor)
        {
            table.AddRow($"storage floor (just before): {floor.Operation}, {floor.Concurrency} in flight",
                $"{floor.PerSecond:N0} ops/s (p50 {floor.P50Ms:F2} ms, p99 {floor.P99Ms:F2} ms)");
            table.AddRow("last journaled / all delivered ÷ (liquidations × writes each ÷ floor ops/s)",
                OverFloor(Positions * StorageWritesPerLiquidation / floor.PerSecond));
        }

        if (MixFloor is { } mix)
        {
            table.AddRow("[bold]the cascade's own writes, each alone (32 in flight, measured after)[/]", "per liquidation at ops/s: in a new table / in the cascade's table");
            foreach (var line in mix.Lines)
            {
                table.AddRow($"  {line.Kind}{(line.Rows > 0 ? $", {line.Rows} rows a batch" : "")}",
                    $"{line.PerLiquidation:F3} at {line.PerSecond:N0}/s = {line.PerLiquidation / line.PerSecond * 1000:F2} ms"
                    + (line.PerSecondInItsTable is { } own ? $" / at {own:N0}/s = {line.PerLiquidation / own * 1000:F2} ms" : ""));
            }

            table.AddRow("last journaled / all delivered ÷ (liquidations × the storage's time for their writes)",
                OverFloor(Positions * mix.SecondsPerLiquidation));
            if (mix.SecondsPerLiquidationInTheirTables is { } inTables)
            {
                table.AddRow("  … the same writes in the cascade's own tables (as full as it left them)", OverFloor(Positions * inTables));
            }
        }

        foreach (var (process, ms) in CpuMsPerOpen)
        {
            table.AddRow($"CPU {process} per open / per liquidation", $"{ms:F2} ms / {CpuMsPerLiquidation[process]:F2} ms");
            table.AddRow($"  {process} busy from the first tick until settled", $"{CoresBusyInCascade[process]:F2} of one core");
        }

        table.AddRow("errors answered (each retried with its request id)", Errors.Count == 0 ? "none" : string.Join(", ", Errors.Select(e => $"{e.Key} {e.Value:N0}")));
        table.AddRow("longest wait of one command to be served again", $"{LongestOutageSeconds:F1} s");
        table.AddRow("traders left out: API key lost with a failed CreateAccount reply", $"{KeysLost}");
        table.AddRow("journal rows missing", Missing == 0 ? "[green]0[/]" : $"[red]{Missing}[/]");
        table.AddRow("accounts whose commands are not journaled exactly once", NotExactlyOnce == 0 ? "[green]0[/]" : $"[red]{NotExactlyOnce}[/]");
        table.AddRow("audit discrepancy", (Discrepancy == 0m ? "[green]0[/]" : $"[red]{Discrepancy}[/]") + $" (the audit took {AuditSeconds:F1} s)");
        AnsiConsole.Write(table);
    }

    private Dictionary<string, double> PerPosition(IReadOnlyDictionary<string, long> from, IReadOnlyDictionary<string, long> to) =>
        to.Where(t => t.Value > from.GetValueOrDefault(t.Key)).ToDictionary(t => t.Key, t => (double)(t.Value - from.GetValueOrDefault(t.Key)) / Positions);

    private static double MeanWriteMs(Probes.Reading from, Probes.Reading to, string kind)
    {
        var (after, before) = (to.GroupCommitWrites.GetValueOrDefault(kind), from.GroupCommitWrites.GetValueOrDefault(kind));
        var count = after.Count - before.Count;
        return count == 0 ? double.NaN : (double)(after.Milliseconds - before.Milliseconds) / count;
    }

    /// <summary>
    /// The cascade's time over the storage's own time for its writes: to its last journal row's time
    /// (booked once the position and the fund hold the liquidation durably) and until all were
    /// delivered (every account's batch written and acknowledged). 1 would be storage-bound with
    /// nothing else in the way.
    /// </summary>
    private string OverFloor(double storageSeconds) =>
        $"{LastJournaledSeconds:F1} s / {IndexEmptySeconds:F1} s ÷ {storageSeconds:F1} s = {LastJournaledSeconds / storageSeconds:F2} / {IndexEmptySeconds / storageSeconds:F2}";

    private static string Ms(double ms) => double.IsNaN(ms) ? "—" : $"{ms:F1} ms";

    private static string Row(Dictionary<string, double> ms) => string.Join(" / ", ms.Values.Select(v => $"{v:F1} ms"));

    /// <summary>A <see cref="System.Diagnostics.Stopwatch"/> timestamp in seconds: on Linux its clock is CLOCK_MONOTONIC, as perf's -k CLOCK_MONOTONIC.</summary>
    public static double MonotonicSeconds(long timestamp) => (double)timestamp / System.Diagnostics.Stopwatch.Frequency;

    private static Dictionary<string, double> Percentiles(LongHistogram h) => new[] { 50d, 90d, 99d, 100d }
        .ToDictionary(p => $"p{p}", p => h.TotalCount == 0 ? 0d : h.GetValueAtPercentile(p) / 1000d);
}
