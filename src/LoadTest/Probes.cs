using System.Globalization;

namespace MarginOrleans.LoadTest;

/// <summary>
/// Figures read from outside the engine between phases: storage operations from the silos'
/// Prometheus endpoints, and CPU time of given processes (silos, Azurite) from /proc.
/// </summary>
public sealed class Probes(IReadOnlyList<string> metricsEndpoints, IReadOnlyList<int> pids)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public sealed record Reading(long StorageOperations, IReadOnlyDictionary<int, double> CpuSeconds);

    public IReadOnlyList<int> Pids => pids;

    public async Task<Reading> Read()
    {
        var operations = 0L;
        foreach (var endpoint in metricsEndpoints)
        {
            var text = await Http.GetStringAsync($"http://{endpoint}/metrics");
            operations += text.Split('\n').Where(l => l.StartsWith("margin_storage_operations_total", StringComparison.Ordinal))
                .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }

        return new Reading(operations, pids.ToDictionary(p => p, CpuSeconds));
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
