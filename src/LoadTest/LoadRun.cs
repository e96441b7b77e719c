using System.Diagnostics;
using HdrHistogram;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>Settings of one load run (see Program.cs for their meaning).</summary>
public sealed record LoadSettings(int Positions, int Concurrency, int TickIntervalMs, int TriggerShards, TimeSpan SettleTimeout, int IdleTicks, int Watchers = 0, bool SharedFund = false,
    decimal HedgeShare = 0m, bool KeepOpen = false, bool PositionCommands = false, int FundingSeconds = 0)
{
    /// <summary>
    /// Account <paramref name="i"/> is in hedge mode when the share's running count steps up at it:
    /// the hedge accounts are spread evenly over the run, ⌊positions × share⌋ of them.
    /// </summary>
    public bool Hedged(int i) => HedgeOrdinal(i) > Math.Floor(i * HedgeShare);

    /// <summary>How many hedge accounts there are up to account <paramref name="i"/>, itself included: 1 for the first.</summary>
    public decimal HedgeOrdinal(int i) => Math.Floor((i + 1) * HedgeShare);
}

/// <summary>
/// One load run against a live cluster: open N isolated longs (5x to 50x) on a fresh market at
/// 10,000; walk the mark down 0.2% a tick to −22%, which crosses every liquidation price; wait
/// until the market's trigger index is empty (every liquidation delivered); then read each
/// account's journal once, with bounded concurrency, and measure the crossing tick → journaled
/// latency of every liquidation. With a hedge share, that share of the accounts is in hedge mode:
/// each holds its long as a LONG leg, and every second one a SHORT leg beside it, which the walk
/// down never liquidates (the index settles at those legs' entries, one each): the cascade then
/// runs beside resident legs of the same accounts, to compare with an all one-way run.
/// </summary>
public sealed partial class LoadRun(ILoadTarget target, LoadSettings settings, Probes probes)
{
    private readonly LongHistogram commands = NewHistogram();
    private readonly LongHistogram liquidations = NewHistogram();
    private readonly LongHistogram tickAnswers = NewHistogram();
    private readonly Dictionary<string, int> errors = [];
    private int keysLost;
    private readonly LoadReport report = new() { Positions = settings.Positions };

    public async Task<LoadReport> Run(CancellationToken cancel)
    {
        var symbol = LoadMarket.NewSymbol();
        await Retried(async () => { await target.CreateMarket(symbol, LoadMarket.Start, settings.TriggerShards, settings.SharedFund, settings.FundingSeconds); return 0; });
        var traders = new (Trader Trader, decimal LiquidationPrice)[settings.Positions];
        var resident = 0; // SHORT legs the walk down leaves open: their liquidation entries stay in the index
        var ticks = new List<(decimal Mark, DateTimeOffset At)>();
        report.Symbol = symbol;
        var before = await probes.Read();
        Probes.Reading opened = before, idled = before, beforeWalk = before, settled = before;

        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var opening = progress.AddTask($"open {settings.Positions:N0} positions", maxValue: settings.Positions);
                var clock = Stopwatch.StartNew();
                await Parallel.ForAsync(0, settings.Positions, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancel }, async (i, _) =>
                {
                    try
                    {
                        traders[i] = await Open($"load-{symbol[1..7].ToLowerInvariant()}-{i}", symbol, i);
                    }
                    catch (KeyLostException)
                    {
                        Interlocked.Increment(ref keysLost);
                    }

                    opening.Increment(1);
                });
                report.OpenSeconds = clock.Elapsed.TotalSeconds;

                opened = await probes.Read();
                if (settings.KeepOpen)
                {
                    return; // left open for a restart (RestartProbe)
                }

                // Ticks that cross nothing, one after another as a feed sends them: the cost of a tick
                // with every position resident, which must not grow with their number. Each is
                // acknowledged once durable, so one at a time pays a write each; several sources
                // publishing at once share writes (group commit).
                var idle = progress.AddTask($"{settings.IdleTicks} ticks crossing nothing, one at a time", maxValue: settings.IdleTicks);
                (report.IdleTicksPerSecond, report.StorageOperationsPerIdleTick) = await Idle(1, idle, (_, i) => target.PublishPrice(symbol, IdlePrice(i)), cancel);
                if (settings.TickIntervalMs > 0 && settings.IdleTicks > 0)
                {
                    // At the walk's pace, its pauses included: what the walk's pace in the cascade is read against.
                    var paced = progress.AddTask($"{PacedIdleTicks} at the walk's pace ({settings.TickIntervalMs} ms pauses)", maxValue: PacedIdleTicks);
                    (report.PacedIdleTicksPerSecond, _) = await Idle(1, paced, (_, i) => target.PublishPrice(symbol, IdlePrice(i)), cancel, PacedIdleTicks, settings.TickIntervalMs);
                }

                var sources = progress.AddTask($"as many from {SourceFeeds} sources at once", maxValue: settings.IdleTicks);
                (report.SourceTicksPerSecond, report.StorageOperationsPerSourceTick) = await Idle(SourceFeeds, sources, (feed, i) => target.PublishSourcePrice(symbol, $"load-{feed}", IdlePrice(i)), cancel);
                if (settings.Watchers > 0)
                {
                    // The same ticks again with live mark watchers on the gateway: what they cost the tick path.
                    var received = 0L;
                    await using (await target.WatchMarks(symbol, settings.Watchers, () => Interlocked.Increment(ref received)))
                    {
                        await Task.Delay(1_000, cancel); // every watcher has subscribed and had the current mark
                        var before = Interlocked.Read(ref received);
                        var watched = progress.AddTask($"the same with {settings.Watchers} mark watchers", maxValue: settings.IdleTicks);
                        (report.IdleTicksPerSecondWatched, _) = await Idle(1, watched, (_, i) => target.PublishPrice(symbol, IdlePrice(i)), cancel);
                        await Task.Delay(1_000, cancel);
                        report.MarksPerWatcher = (Interlocked.Read(ref received) - before) / (double)settings.Watchers;
                    }
                }

                idled = await probes.Read();
                beforeWalk = settings.PositionCommands ? await SendPositionCommands(progress, symbol, traders, cancel) : idled;

                var walking = progress.AddTask("walk the mark down to −22%", maxValue: 125);
                clock.Restart();
                for (var mark = LoadMarket.Start; mark >= LoadMarket.Start * 0.78m; mark = Math.Round(mark * 0.998m, 1))
                {
                    var at = DateTimeOffset.UtcNow;
                    report.Fired += await Retried(() => target.PublishPrice(symbol, mark));
                    var answered = DateTimeOffset.UtcNow - at;
                    tickAnswers.RecordValue(Math.Max(1, (long)answered.TotalMicroseconds));
                    report.TickAnswerSeconds += answered.TotalSeconds;
                    ticks.Add((mark, at));
                    walking.Increment(1);
                    if (settings.TickIntervalMs > 0)
                    {
                        await Task.Delay(settings.TickIntervalMs, cancel);
                    }
                }

                report.Ticks = ticks.Count;
                report.TickSeconds = clock.Elapsed.TotalSeconds;

                resident = traders.Count(t => t.Trader is { ShortLeg: true });
                var settling = progress.AddTask(resident == 0 ? "liquidations delivered (index empty)" : $"liquidations delivered (index down to {resident:N0} short legs)", maxValue: settings.Positions);
                var deadline = DateTimeOffset.UtcNow + settings.SettleTimeout;
                int left;
                while ((left = await Retried(() => target.TriggerCount(symbol)) is { } count ? count - resident : settings.Positions) > 0 && DateTimeOffset.UtcNow < deadline)
                {
                    settling.Value = settings.Positions - left;
                    await Task.Delay(100, cancel);
                }

                settling.Value = settings.Positions - left;
                report.IndexEmptySeconds = left == 0 ? (DateTimeOffset.UtcNow - ticks[0].At).TotalSeconds : double.NaN;
                report.ShortLegsLeft = left + resident;
                settled = await probes.Read();

                var reading = progress.AddTask("read the journals", maxValue: settings.Positions);
                var last = DateTimeOffset.MinValue;
                await Parallel.ForEachAsync(traders.Where(t => t.Trader is not null), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancel }, async (t, _) =>
                {
                    var crossed = ticks.FindIndex(x => x.Mark <= t.LiquidationPrice);
                    var facts = await Retried(() => target.Journal(t.Trader, symbol));
                    lock (liquidations)
                    {
                        report.NotExactlyOnce += facts.ExactlyOnce(t.Trader, settings.PositionCommands) || facts.Liquidated is null ? 0 : 1;
                        if (facts.Liquidated is { } journaled && crossed >= 0)
                        {
                            liquidations.RecordValue(Math.Max(1, (long)(journaled - ticks[crossed].At).TotalMicroseconds));
                            last = journaled > last ? journaled : last;
                        }
                        else
                        {
                            report.Missing++;
                        }
                    }

                    reading.Increment(1);
                });
                report.LastJournaledSeconds = (last - ticks[0].At).TotalSeconds;
            });

        if (settings.KeepOpen)
        {
            var first = traders.Where(t => t.Trader is not null).MaxBy(t => t.LiquidationPrice);
            report.Kept = new KeptOpen(symbol, first.Trader, first.LiquidationPrice, settings.Positions, report.OpenSeconds, (double)(opened.StorageOperations - before.StorageOperations) / settings.Positions, settings.TriggerShards);
            return report;
        }

        report.HedgeAccounts = traders.Count(t => t.Trader is { Hedge: true });
        report.ShortLegs = resident;
        var auditing = Stopwatch.StartNew();
        report.Discrepancy = await Retried(target.AuditDiscrepancy);
        report.AuditSeconds = auditing.Elapsed.TotalSeconds;
        report.Errors = errors;
        report.KeysLost = keysLost;
        report.Fill(commands, liquidations, tickAnswers, before, opened, idled, beforeWalk, settled, probes);
        return report;
    }

    /// <summary>
    /// Publishes the run's idle ticks from <paramref name="feeds"/> feeders at once, each one tick
    /// after another; returns ticks per second and storage operations per tick.
    /// </summary>
    /// <param name="ticks">How many; the run's <c>--idle-ticks</c> if not given.</param>
    /// <param name="pauseMs">A pause after each tick, as the walk makes.</param>
    private async Task<(double PerSecond, double StorageOperations)> Idle(int feeds, ProgressTask shown, Func<int, int, Task> publish, CancellationToken cancel, int? ticks = null, int pauseMs = 0)
    {
        var count = ticks ?? settings.IdleTicks;
        if (count == 0)
        {
            return (0d, 0d);
        }

        var start = await probes.Read();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, feeds, new ParallelOptions { MaxDegreeOfParallelism = feeds, CancellationToken = cancel }, async (feed, _) =>
        {
            for (var i = feed; i < count; i += feeds)
            {
                await publish(feed, i);
                shown.Increment(1);
                if (pauseMs > 0)
                {
                    await Task.Delay(pauseMs, cancel);
                }
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var end = await probes.Read();
        return (count / seconds, (double)(end.StorageOperations - start.StorageOperations) / count);
    }

    /// <summary>Alternates between the start price and one tick above: crosses no liquidation price.</summary>
    private static decimal IdlePrice(int i) => LoadMarket.Start + i % 2 * 0.1m;

    /// <summary>Named index sources publishing at once in the second idle phase.</summary>
    public const int SourceFeeds = 8;

    /// <summary>Idle ticks sent at the walk's pace: two seconds at its default 50 ms pause.</summary>
    private const int PacedIdleTicks = 40;

    /// <summary>
    /// Creates, funds and opens one account's long, timing each command; a hedge account first
    /// switches to hedge mode, opens its long as the LONG leg and, every second one, a SHORT leg of
    /// the same size at 5x to 20x (its liquidation price lies above the start, out of the walk's way).
    /// </summary>
    private async Task<(Trader, decimal)> Open(string accountId, string symbol, int i)
    {
        var key = await Timed(() => target.CreateAccount(accountId));
        var hedge = settings.Hedged(i);
        var trader = new Trader(accountId, key, hedge, ShortLeg: hedge && settings.HedgeOrdinal(i) % 2 == 1);
        await Timed(async () => { await target.Deposit(accountId, 1_000m); return 0; });
        if (hedge)
        {
            await Timed(async () => { await target.SetHedgeMode(trader); return 0; });
        }

        var price = await Timed(() => target.OpenLong(trader, symbol, Quantity(i), Leverage(i)));
        if (trader.ShortLeg)
        {
            await Timed(() => target.OpenShortLeg(trader, symbol, Quantity(i), 5 + i % 16));
        }

        return (trader, price);
    }

    private static decimal Quantity(int i) => 0.01m + i % 5 * 0.01m;

    private static int Leverage(int i) => 5 + i % 46;

    private async Task<T> Timed<T>(Func<Task<T>> command)
    {
        var clock = Stopwatch.StartNew();
        var result = await Retried(command);
        lock (commands)
        {
            commands.RecordValue(Math.Max(1, (long)clock.Elapsed.TotalMicroseconds));
        }

        return result;
    }

    /// <summary>
    /// Sends a command until it is answered, as a client does during a failover: every command
    /// carries its request id, so a retry is safe. Counts the failures by kind and the longest
    /// time one command waited to be served again.
    /// </summary>
    private async Task<T> Retried<T>(Func<Task<T>> command)
    {
        DateTimeOffset? failingSince = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await command();
                if (failingSince is { } since)
                {
                    lock (errors)
                    {
                        report.LongestOutageSeconds = Math.Max(report.LongestOutageSeconds, (DateTimeOffset.UtcNow - since).TotalSeconds);
                    }
                }

                return result;
            }
            catch (Exception e) when (attempt < MaxAttempts && e is not (OperationCanceledException or KeyLostException))
            {
                failingSince ??= DateTimeOffset.UtcNow;
                var kind = e is Grpc.Core.RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name;
                lock (errors)
                {
                    errors[kind] = errors.GetValueOrDefault(kind) + 1;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt)));
            }
        }
    }

    private const int MaxAttempts = 120;

    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(30).Ticks / 10, 3); // microseconds
}
