using System.Globalization;
using System.Text.RegularExpressions;

namespace MarginOrleans.LoadTest;

/// <summary>One line of a Prometheus scrape, <c>name{label="value",…} value [timestamp]</c>, read without a client library.</summary>
public static partial class PrometheusSample
{
    /// <summary>The engine's tables by the end of their names (each run's tables carry a prefix of its own).</summary>
    private static readonly string[] TableRoles = ["grains", "positions", "journal", "triggers", "accounts", "funds", "Tables"];

    public static (Dictionary<string, string> Labels, long Value) Parse(string line)
    {
        var close = line.LastIndexOf('}');
        var labels = Label().Matches(line[..Math.Max(0, close)]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var value = line[(close + 1)..].Trim().Split(' ')[0];
        return (labels, (long)double.Parse(value, CultureInfo.InvariantCulture));
    }

    /// <summary>"grains" for "load1a2b3c4dgrains": the same table in every run.</summary>
    public static string TableRole(string? table) =>
        TableRoles.FirstOrDefault(role => table?.EndsWith(role, StringComparison.Ordinal) == true) ?? table ?? "?";

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex Label();
}
