using System.Diagnostics;
using System.Globalization;

namespace MarginOrleans.LoadTest;

/// <summary>
/// Figures read from outside the engine between phases: storage operations from the silos'
/// Prometheus endpoints (every table request the silo sent, by table, operation and access, and
/// the rows its batches carried; the owners the trigger shards woke; how long group commits' writes
/// took), and CPU time of given processes (silos, Azurite) from /proc.
/// </summary>
public sealed class Probes(IReadOnlyList<string> metricsEndpoints, IReadOnlyList<int> pids)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Operations by "operation (table)", writes among them, and batch rows by kind.</summary>
    public sealed record Reading(long StorageOperations, IReadOnlyDictionary<int, double> CpuSeconds)
    {
        public long StorageWrites { get; init; }
        public IReadOnlyDictionary<string, long> Operations { get; init; } = new Dictionary<string, long>();
        public IReadOnlyDictionary<string, long> Rows { get; init; } = new Dictionary<string, long>();

        /// <summary>The table each role ("journal", "triggers", …) was written to, by its full name.</summary>
        public IReadOnlyDictionary<string, string> Tables { get; init; } = new Dictionary<string, string>();

        /// <summary>Owners the trigger shards woke; among them, those woken again for not answering in time.</summary>
        public long Woken { get; init; }

        public long WokenAgain { get; init; }

        /// <summary>Group commits' writes by kind ("mark", "fund", "triggers"): how many, and their milliseconds from sent to durable, summed.</summary>
        public IReadOnlyDictionary<string, (long Count, long Milliseconds)> GroupCommitWrites { get; init; } = new Dictionary<string, (long, long)>();

        /// <summary>When it was read (<see cref="System.Diagnostics.Stopwatch"/> ticks): CPU seconds over the wall seconds between two readings say how busy a process was.</summary>
        public long Timestamp { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public IReadOnlyList<int> Pids => pids;

    /// <summary>
    /// A reading once the silos' storage counters have stood still for 1.5 s (longer than a trigger
    /// shard's one-second batch timer), at most 30 s: the deferred writes of what was just sent are
    /// then in it, not in whatever is measured next.
    /// </summary>
    public async Task<Reading> Quiet()
    {
        var last = await Read();
        var (still, waited) = (Stopwatch.StartNew(), Stopwatch.StartNew());
        while (metricsEndpoints.Count > 0 && still.Elapsed < TimeSpan.FromSeconds(1.5) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
            var next = await Read();
            if (next.StorageOperations != last.StorageOperations)
            {
                still.Restart();
            }

            last = next;
        }

        return last;
    }

    public async Task<Reading> Read()
    {
        var operations = new Dictionary<string, long>();
        var rows = new Dictionary<string, long>();
        var tables = new Dictionary<string, string>();
        var commits = new Dictionary<string, (long Count, long Milliseconds)>();
        long total = 0, writes = 0, woken = 0, wokenAgain = 0;
        foreach (var endpoint in metricsEndpoints)
        {
            foreach (var line in (await Http.GetStringAsync($"http://{endpoint}/metrics")).Split('\n'))
            {
                if (line.StartsWith("margin_storage_operations_total", StringComparison.Ordinal))
                {
                    var (labels, value) = PrometheusSample.Parse(line);
                    total += value;
                    writes += labels.GetValueOrDefault("access") == "write" ? value : 0;
                    var (table, role) = (labels.GetValueOrDefault("table"), PrometheusSample.TableRole(labels.GetValueOrDefault("table")));
                    var key = $"{labels.GetValueOrDefault("operation")} ({role})";
                    operations[key] = operations.GetValueOrDefault(key) + value;
                    if (table is not null)
                    {
                        tables[role] = table;
                    }
                }
                else if (line.StartsWith("margin_triggers_fired_total", StringComparison.Ordinal))
                {
                    woken += PrometheusSample.Parse(line).Value;
                }
                else if (line.StartsWith("margin_triggers_rewoken_total", StringComparison.Ordinal))
                {
                    wokenAgain += PrometheusSample.Parse(line).Value;
                }
                else if (line.StartsWith("margin_group_commit_write_milliseconds_sum", StringComparison.Ordinal) || line.StartsWith("margin_group_commit_write_milliseconds_count", StringComparison.Ordinal))
                {
                    var (labels, value) = PrometheusSample.Parse(line);
                    var kind = labels.GetValueOrDefault("kind") ?? "?";
                    var (count, milliseconds) = commits.GetValueOrDefault(kind);
                    commits[kind] = line.Contains("_sum", StringComparison.Ordinal) ? (count, milliseconds + value) : (count + value, milliseconds);
                }
                else if (line.StartsWith("margin_storage_rows_total", StringComparison.Ordinal))
                {
                    var (labels, value) = PrometheusSample.Parse(line);
                    var key = $"{labels.GetValueOrDefault("kind") ?? "?"} ({PrometheusSample.TableRole(labels.GetValueOrDefault("table"))})";
                    rows[key] = rows.GetValueOrDefault(key) + value;
                }
            }
        }

        return new Reading(total, pids.ToDictionary(p => p, CpuSeconds)) { StorageWrites = writes, Operations = operations, Rows = rows, Tables = tables, Woken = woken, WokenAgain = wokenAgain, GroupCommitWrites = commits };
    }

    public static string Name(int pid)
    {
        var command = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') : "";
        return command.Contains("azurite", StringComparison.Ordinal) ? $"azurite ({pid})"
            : command.Contains("Silo", StringComparison.Ordinal) ? $"silo ({pid})"
            : command.Contains("Gateway", StringComparison.Ordinal) ? $"gateway ({pid})" : $"pid {pid}";
    }

    /// <summary>utime + stime from /proc/pid/stat, in seconds (fields 14 and 15, clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100d;
    }
}
