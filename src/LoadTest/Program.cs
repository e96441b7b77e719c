using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grpc.Net.Client;
using MarginOrleans.LoadTest;
using Spectre.Console;

var positions = new Option<int>("--positions") { Description = "isolated positions to open", DefaultValueFactory = _ => 2_000 };
var concurrency = new Option<int>("--concurrency") { Description = "commands in flight at once", DefaultValueFactory = _ => 64 };
var via = new Option<string>("--via") { Description = "gateway (gRPC, as trading clients) or orleans (an Orleans client)", DefaultValueFactory = _ => "gateway" };
var gateway = new Option<string>("--gateway") { Description = "the gRPC gateway", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
var apiKey = new Option<string>("--api-key") { Description = "the operator's API key (default: $MARGIN_API_KEY)" };
var gatewayPort = new Option<int>("--silo-gateway-port") { Description = "a silo's Orleans gateway port (--via orleans)", DefaultValueFactory = _ => 30000 };
var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "margin-local" };
var tickInterval = new Option<int>("--tick-interval-ms") { Description = "pause between ticks; 0 publishes as fast as the market takes them", DefaultValueFactory = _ => 50 };
var shards = new Option<int>("--trigger-shards") { Description = "trigger index shards of the run's market", DefaultValueFactory = _ => 4 };
var settle = new Option<int>("--settle-timeout-s") { Description = "how long to wait for every liquidation to be delivered", DefaultValueFactory = _ => 900 };
var metrics = new Option<string[]>("--metrics") { Description = "silo Prometheus endpoints host:port, for storage operations per command", AllowMultipleArgumentsPerToken = true };
var cpu = new Option<int[]>("--cpu-pid") { Description = "processes (silos, Azurite) whose CPU time per command to report", AllowMultipleArgumentsPerToken = true };
var idleTicks = new Option<int>("--idle-ticks") { Description = "ticks crossing nothing, published one at a time before the walk", DefaultValueFactory = _ => 500 };
var watchers = new Option<int>("--watchers") { Description = "also repeat the idle ticks with this many StreamMarks watchers open (gateway)", DefaultValueFactory = _ => 0 };
var json = new Option<string?>("--json") { Description = "also write the figures to this file" };
var title = new Option<string>("--title") { DefaultValueFactory = _ => "margin-load" };
var sharedFund = new Option<bool>("--shared-fund") { Description = "the run's market pays into the one fund shared by every market that chooses it (USDT) instead of its own" };
var hedgeShare = new Option<decimal>("--hedge-share")
{
    Description = "this share (0 to 1) of the accounts in hedge mode: a LONG leg each, every second a SHORT leg too (the walk down leaves those open)",
    DefaultValueFactory = _ => 0m,
};
hedgeShare.Validators.Add(r =>
{
    if (r.GetValueOrDefault<decimal>() is < 0m or > 1m)
    {
        r.AddError("--hedge-share must be from 0 to 1");
    }
});
var patterns = new Option<int[]>("--patterns")
{
    Description = "instead of the cascade: the peers' patterns (stream per position, full scan) beside the trigger index, at these position counts (Orleans client)",
    AllowMultipleArgumentsPerToken = true,
};
var failoverProbe = new Option<int>("--failover-probe") { Description = "instead of the cascade: create this many accounts and read them all every 100 ms, one line a round (scripts/failover.sh)" };
var restVsGrpc = new Option<int>("--rest-vs-grpc") { Description = "instead of the cascade: GetMarket and open+close over gRPC and over REST for this many seconds each, and REST ÷ gRPC" };
var rest = new Option<string>("--rest") { Description = "the gateway's REST/JSON address (Gateway:Rest:HttpPort)", DefaultValueFactory = _ => "http://127.0.0.1:5090" };
var symbol = new Option<string>("--symbol") { Description = "the market of --rest-vs-grpc", DefaultValueFactory = _ => "BTC-USDT" };
var storageFloor = new Option<string>("--storage-floor") { Description = "instead of the cascade: the table service's own write rate at this connection string (conditional replace, merge, 1- and 2-row batches)" };
var floorSeconds = new Option<double?>("--floor-seconds") { Description = "how long each floor measurement runs (default 5 s with --storage-floor, 3 s before a cascade)" };
var floorConcurrency = new Option<int[]>("--floor-concurrency") { Description = "writes in flight at once (--storage-floor)", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
var storageConnection = new Option<string[]>("--storage-connection") { Description = "the cluster's table storage: the cascade then measures the storage floor first and reports its ratio; with --first-crossing, each storage account's, to read the shards' rows straight (the restart's floor)", AllowMultipleArgumentsPerToken = true };
var tablePrefix = new Option<string>("--table-prefix") { Description = "the cluster's table prefix (--first-crossing with --storage-connection)", DefaultValueFactory = _ => "margin" };
var sseWatchers = new Option<int[]>("--sse-watchers")
{
    Description = "instead of the cascade: account events over server-sent events with these numbers of watchers (e.g. 1 1000 10000): journal→watcher latency, gateway CPU per event (--gateway-pid)",
    AllowMultipleArgumentsPerToken = true,
};
var positionCommands = new Option<bool>("--position-commands") { Description = "before the walk, send every long each position command in turn (add margin, set and clear take-profit/stop-loss, remove margin, close, open again) and count storage operations per command" };
var fundingInterval = new Option<int>("--funding-interval")
{
    Description = "the run's market pays funding every this many seconds (default: eight hours); with --position-commands, a funding time passes first, so each add margin settles a payment (choose an interval longer than the commands take, so that no other step settles one)",
};
var keepOpen = new Option<string?>("--keep-open") { Description = "open the positions, write the market and its first position to cross to this file, and stop (scripts/restart.sh)" };
var firstCrossing = new Option<string?>("--first-crossing") { Description = "instead of the cascade: after a restart, cross the first position of this --keep-open file at once and time it from --ready-at" };
var readyAt = new Option<long>("--ready-at") { Description = "when the restarted silo was ready, Unix milliseconds (--first-crossing)" };
var gatewayPid = new Option<int?>("--gateway-pid") { Description = "the gateway's process, whose CPU time per event --sse-watchers reports" };
var events = new Option<int>("--events") { Description = "events measured per size of --sse-watchers", DefaultValueFactory = _ => 200 };
var root = new RootCommand("margin-load — drives a running cluster: opens positions, walks the mark through their liquidation prices, measures")
{
    positions, concurrency, via, gateway, apiKey, gatewayPort, clusterId, tickInterval, shards, settle, idleTicks, metrics, cpu, json, title, patterns, watchers, sharedFund, failoverProbe, restVsGrpc, rest, symbol,
    storageFloor, floorSeconds, floorConcurrency, storageConnection, tablePrefix, sseWatchers, events, gatewayPid, hedgeShare, positionCommands, fundingInterval, keepOpen, firstCrossing, readyAt,
};
root.SetAction(async (parse, cancel) =>
{
    if (parse.GetValue(failoverProbe) is > 0 and var probed)
    {
        await FailoverProbe.Run(parse.GetValue(gateway)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("MARGIN_API_KEY")!, probed, cancel);
        return 0;
    }

    if (parse.GetValue(sseWatchers) is { Length: > 0 } watcherCounts)
    {
        await WatcherFanout.Run(parse.GetValue(gateway)!, parse.GetValue(rest)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("MARGIN_API_KEY")!,
            watcherCounts, parse.GetValue(events), parse.GetValue(gatewayPid), cancel);
        return 0;
    }

    if (parse.GetValue(restVsGrpc) is > 0 and var seconds)
    {
        await RestComparison.Run(parse.GetValue(gateway)!, parse.GetValue(rest)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("MARGIN_API_KEY")!,
            parse.GetValue(symbol)!, TimeSpan.FromSeconds(seconds), parse.GetValue(concurrency), cancel);
        return 0;
    }

    if (parse.GetValue(storageFloor) is { Length: > 0 } floorStorage)
    {
        var floor = await StorageFloor.Measure(floorStorage, FloorOperation.All, parse.GetValue(floorConcurrency)!, TimeSpan.FromSeconds(parse.GetValue(floorSeconds) ?? 5), cancel);
        StorageFloor.Print(parse.GetValue(title)!, floor);
        if (parse.GetValue(json) is { } file)
        {
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(floor, new JsonSerializerOptions { WriteIndented = true }), cancel);
        }

        return 0;
    }

    if (parse.GetValue(patterns) is { Length: > 0 } sizes)
    {
        await using var client = await OrleansTarget.Connect(parse.GetValue(gatewayPort), parse.GetValue(clusterId)!, cancel);
        var figures = await new PatternsRun(client.Grains, parse.GetValue(concurrency), parse.GetValue(idleTicks), TimeSpan.FromSeconds(parse.GetValue(settle))).Run(sizes, cancel);
        PatternsReport.Print(parse.GetValue(title)!, figures);
        if (parse.GetValue(json) is { } file)
        {
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }), cancel);
        }

        return figures.All(f => f.Liquidated == f.Positions) ? 0 : 2;
    }

    await using ILoadTarget target = parse.GetValue(via) == "orleans"
        ? await OrleansTarget.Connect(parse.GetValue(gatewayPort), parse.GetValue(clusterId)!, cancel)
        : new GatewayTarget(GrpcChannel.ForAddress(parse.GetValue(gateway)!),
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("MARGIN_API_KEY") ?? throw new InvalidOperationException("give --api-key or MARGIN_API_KEY"));
    var probes = new Probes(parse.GetValue(metrics) ?? [], parse.GetValue(cpu) ?? []);
    if (parse.GetValue(firstCrossing) is { } keptFile)
    {
        var kept = JsonSerializer.Deserialize<KeptOpen>(await File.ReadAllTextAsync(keptFile, cancel))!;
        var storage = parse.GetValue(storageConnection) is { Length: > 0 } accounts ? new StorageTables(accounts, parse.GetValue(tablePrefix)!) : null;
        return await RestartProbe.Run(target, kept, DateTimeOffset.FromUnixTimeMilliseconds(parse.GetValue(readyAt)), probes, storage, parse.GetValue(title)!, cancel) ? 0 : 2;
    }

    var settings = new LoadSettings(parse.GetValue(positions), parse.GetValue(concurrency), parse.GetValue(tickInterval), parse.GetValue(shards), TimeSpan.FromSeconds(parse.GetValue(settle)), parse.GetValue(idleTicks), parse.GetValue(watchers), parse.GetValue(sharedFund),
        parse.GetValue(hedgeShare), KeepOpen: parse.GetValue(keepOpen) is not null, PositionCommands: parse.GetValue(positionCommands),
        FundingSeconds: parse.GetValue(fundingInterval));
    // The floor first, on the cluster's own storage while the cluster is idle: the ratio's denominator from the same run.
    var storageFloorFigure = parse.GetValue(storageConnection) is [var connection, ..]
        ? (await StorageFloor.Measure(connection, [FloorOperation.ConditionalReplace], [32], TimeSpan.FromSeconds(parse.GetValue(floorSeconds) ?? 3), cancel))[0]
        : null;
    var report = await new LoadRun(target, settings, probes).Run(cancel);
    if (report.Kept is { } left)
    {
        await File.WriteAllTextAsync(parse.GetValue(keepOpen)!, JsonSerializer.Serialize(left), cancel);
        AnsiConsole.MarkupLine($"{left.Positions:N0} positions left open on {left.Symbol} in {left.OpenSeconds:F1} s ({left.StorageOperationsPerOpen:F2} storage operations each); the first crosses at {left.LiquidationPrice}");
        return 0;
    }

    report.Floor = storageFloorFigure;
    if (parse.GetValue(storageConnection) is [var cascadeStorage, ..])
    {
        // After the cascade, on the storage as the cascade left it: each of its write kinds alone.
        var floorFrom = System.Diagnostics.Stopwatch.GetTimestamp();
        report.MixFloor = await MixFloor.Measure(cascadeStorage, report, TimeSpan.FromSeconds(parse.GetValue(floorSeconds) ?? 3), cancel);
        report.FloorMonotonicSeconds = [LoadReport.MonotonicSeconds(floorFrom), LoadReport.MonotonicSeconds(System.Diagnostics.Stopwatch.GetTimestamp())];
    }

    report.Print(parse.GetValue(title)!);
    if (parse.GetValue(json) is { } path)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }), cancel);
    }

    return report.Discrepancy == 0m && report.Missing == 0 && report.NotExactlyOnce == 0 && !double.IsNaN(report.IndexEmptySeconds) ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();
