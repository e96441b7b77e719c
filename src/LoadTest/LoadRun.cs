using System.Diagnostics;
using HdrHistogram;
using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>
/// One load run against a live cluster, in three phases: open N isolated longs (5x to 50x) on a
/// fresh market at 10,000; walk the mark down 0.2% a tick to −22%, which crosses every
/// liquidation price; then match each account's Liquidation journal row to the tick that crossed
/// its price. Latency is tick publish → liquidation journaled (one market walk, one one-way wake-up,
/// the position's liquidation and fund transfer, one one-way report to the account).
/// </summary>
public sealed class LoadRun(int positions, int concurrency, int gatewayPort, string clusterId, int tickIntervalMs)
{
    private const decimal Start = 10_000m;

    public async Task<int> Run(CancellationToken cancel)
    {
        var host = Host.CreateApplicationBuilder();
        host.UseOrleansClient(client => client
            .Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (clusterId, "margin"))
            .UseLocalhostClustering(gatewayPort, "margin", clusterId));
        using var app = host.Build();
        await app.StartAsync(cancel);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var run = Guid.NewGuid().ToString("N")[..6];
        var symbol = $"L{run.ToUpperInvariant()}-USDT";
        var market = grains.GetGrain<IMarketGrain>(symbol);
        var created = await market.Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, Brackets));
        if (!created.IsOk)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{created.Detail}[/]");
            return 1;
        }

        await market.PublishPrice(Start, Start);
        var accounts = new (IAccountGrain Account, decimal LiquidationTrigger)[positions];
        var (openSeconds, ticks, tickSeconds) = (0d, new List<(decimal Mark, DateTimeOffset At)>(), 0d);
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var opening = progress.AddTask($"open {positions:N0} positions", maxValue: positions);
                var clock = Stopwatch.StartNew();
                await Parallel.ForAsync(0, positions, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancel }, async (i, _) =>
                {
                    accounts[i] = await Open(grains, $"load-{run}-{i}", symbol, i);
                    opening.Increment(1);
                });
                openSeconds = clock.Elapsed.TotalSeconds;

                var walking = progress.AddTask("walk the mark down to −22%", maxValue: 110);
                clock.Restart();
                for (var mark = Start; mark >= Start * 0.78m; mark = Math.Round(mark * 0.998m, 1))
                {
                    var at = DateTimeOffset.UtcNow;
                    await market.PublishPrice(mark, mark);
                    ticks.Add((mark, at));
                    walking.Increment(1);
                    if (tickIntervalMs > 0)
                    {
                        await Task.Delay(tickIntervalMs, cancel);
                    }
                }

                tickSeconds = clock.Elapsed.TotalSeconds;
            });

        var (latency, lastLiquidation) = await Latencies(accounts, ticks, symbol, cancel);
        var audit = await grains.GetGrain<IAuditGrain>("USDT").Run();
        Report(openSeconds, ticks.Count, tickSeconds, latency, (lastLiquidation - ticks[0].At).TotalSeconds, audit);
        await app.StopAsync(cancel);
        return audit.Discrepancy == 0m ? 0 : 2;
    }

    /// <summary>Creates, funds and opens one account's long; returns its liquidation trigger price.</summary>
    private static async Task<(IAccountGrain, decimal)> Open(IGrainFactory grains, string accountId, string symbol, int i)
    {
        var account = grains.GetGrain<IAccountGrain>(accountId);
        await account.Create(accountId);
        await account.Deposit(accountId + "/deposit", 1_000m);
        var leverage = 5 + i % 46;
        var opened = await account.OpenPosition(accountId + "/open", new OpenOrder(symbol, PositionSide.Long, 0.01m + i % 5 * 0.01m, leverage, null));
        return (account, opened.Position?.LiquidationPrice ?? 0m);
    }

    /// <summary>Waits until every position is liquidated, then measures tick → journal row for each.</summary>
    private static async Task<(LongHistogram, DateTimeOffset)> Latencies((IAccountGrain Account, decimal Trigger)[] accounts,
        List<(decimal Mark, DateTimeOffset At)> ticks, string symbol, CancellationToken cancel)
    {
        var histogram = new LongHistogram(TimeSpan.FromMinutes(5).Ticks / 10, 3); // microseconds, 3 significant digits
        var pending = accounts.ToList();
        var last = DateTimeOffset.MinValue;
        for (var attempt = 0; attempt < 600 && pending.Count > 0; attempt++)
        {
            var still = new List<(IAccountGrain, decimal)>();
            foreach (var chunk in pending.Chunk(256))
            {
                var journals = await Task.WhenAll(chunk.Select(a => a.Account.GetJournal(1, 10)));
                for (var j = 0; j < chunk.Length; j++)
                {
                    var liquidation = journals[j].FirstOrDefault(e => e.Kind == JournalKind.Liquidation && e.Symbol == symbol);
                    var crossed = ticks.FindIndex(t => t.Mark <= chunk[j].Trigger);
                    if (liquidation is null || crossed < 0)
                    {
                        still.Add(chunk[j]);
                        continue;
                    }

                    histogram.RecordValue(Math.Max(1, (long)(liquidation.Time - ticks[crossed].At).TotalMicroseconds));
                    last = liquidation.Time > last ? liquidation.Time : last;
                }
            }

            pending = still;
            if (pending.Count > 0)
            {
                await Task.Delay(100, cancel);
            }
        }

        return (histogram, last);
    }

    private void Report(double openSeconds, int ticks, double tickSeconds, LongHistogram latency, double liquidationSeconds, AuditReport audit)
    {
        var table = new Table().Title("margin-load").AddColumns("measure", "value");
        table.AddRow("positions opened", $"{positions:N0} in {openSeconds:F1} s");
        table.AddRow("commands/s (create + deposit + open)", $"{3 * positions / openSeconds:N0}");
        table.AddRow("ticks/s (each walks the trigger index)", tickIntervalMs > 0
            ? $"paced: one per {tickIntervalMs} ms ({ticks} ticks)"
            : $"{ticks / tickSeconds:N0} ({ticks} ticks)");
        table.AddRow("liquidations", $"{latency.TotalCount:N0}, {latency.TotalCount / liquidationSeconds:N0}/s from the first tick to the last liquidation");
        foreach (var percentile in new[] { 50d, 90d, 99d, 100d })
        {
            table.AddRow($"tick → liquidation journaled p{percentile}", $"{latency.GetValueAtPercentile(percentile) / 1000d:F1} ms");
        }

        table.AddRow("audit discrepancy", audit.Discrepancy == 0m ? "[green]0[/]" : $"[red]{audit.Discrepancy}[/]");
        AnsiConsole.Write(table);
    }

    private static readonly IReadOnlyList<BracketSpec> Brackets =
    [
        new(50_000m, 0.004m, 125), new(250_000m, 0.005m, 100), new(1_000_000m, 0.01m, 50), new(10_000_000m, 0.025m, 20),
    ];
}
