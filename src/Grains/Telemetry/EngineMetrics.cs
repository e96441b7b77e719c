using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MarginOrleans.Telemetry;

/// <summary>
/// The engine's own meter, exported beside Orleans' meters (OpenTelemetry, Prometheus scrape).
/// Process-wide instruments: each silo reports what its grains did.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "MarginOrleans";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, decimal> FundBalances = new();

    public static readonly Counter<long> Ticks = Meter.CreateCounter<long>("margin.ticks", description: "prices published to markets");
    public static readonly Counter<long> TriggersFired = Meter.CreateCounter<long>("margin.triggers.fired", description: "owners woken by a crossing tick");
    public static readonly Counter<long> TriggersRewoken = Meter.CreateCounter<long>("margin.triggers.rewoken", description: "owners woken again after not answering in time");
    public static readonly UpDownCounter<long> TriggerEntries = Meter.CreateUpDownCounter<long>("margin.triggers.entries", description: "trigger entries resident in this silo's shards");
    public static readonly Counter<long> Liquidations = Meter.CreateCounter<long>("margin.liquidations", description: "isolated positions and cross accounts liquidated");
    public static readonly Histogram<double> LiquidationLatency = Meter.CreateHistogram<double>("margin.liquidation.latency", "ms", "from the mark's publication to the liquidation's state write");
    public static readonly Counter<long> Deleveraged = Meter.CreateCounter<long>("margin.deleveraged", description: "auto-deleveraging orders sent by insurance funds");
    public static readonly Histogram<double> GroupCommitWrite = Meter.CreateHistogram<double>("margin.group_commit.write", "ms", "a group commit's write from sent to durable, by kind: a market's marks (what a tick waits on), a fund's transfers, a trigger shard's entries");
    public static readonly Counter<long> StorageOperations = Meter.CreateCounter<long>("margin.storage.operations", description: "Azure Table requests sent by grains, by table, operation and access");
    public static readonly UpDownCounter<long> StorageWaiting = Meter.CreateUpDownCounter<long>("margin.storage.waiting", description: "Azure Table requests waiting for one of their storage account's permits (StorageAdmission)");
    public static readonly Counter<long> StorageRows = Meter.CreateCounter<long>("margin.storage.rows", description: "rows written by entity-group transactions, by table and kind: what a batch carried");

    static EngineMetrics() =>
        Meter.CreateObservableGauge("margin.insurance_fund.balance", () =>
            FundBalances.Select(f => new Measurement<double>((double)f.Value, new KeyValuePair<string, object?>("fund", f.Key))),
            description: "insurance fund balances held by this silo's fund grains (a metric, not money: money stays decimal)");

    public static void FundBalance(string fund, decimal balance) => FundBalances[fund] = balance;
}
