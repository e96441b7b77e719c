using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>The patterns side by side, with each one's idle tick rate as a ratio to the trigger index's at the same size.</summary>
public static class PatternsReport
{
    public static void Print(string title, IReadOnlyList<PatternFigures> figures)
    {
        var table = new Table().Title(title).AddColumns("pattern", "N", "setup s", "idle ticks/s", "× index", "walk s", "liquidated", "p50 ms", "p99 ms", "max ms");
        foreach (var f in figures)
        {
            var index = figures.First(i => i.Positions == f.Positions && i.Pattern == Baselines.BaselinePattern.Index);
            table.AddRow(f.Pattern.ToString(), $"{f.Positions:N0}", $"{f.SetupSeconds:F1}", $"{f.IdleTicksPerSecond:N1}",
                $"{f.IdleTicksPerSecond / index.IdleTicksPerSecond:F4}", $"{f.WalkSeconds:F1}", $"{f.Liquidated:N0}", $"{f.P50Ms:F1}", $"{f.P99Ms:F1}", $"{f.MaxMs:F1}");
        }

        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120);
        AnsiConsole.Write(table);
        foreach (var f in figures.Where(f => f.Note.Length > 0))
        {
            AnsiConsole.WriteLine($"{f.Pattern} at {f.Positions:N0}: {f.Note}");
        }
    }
}
