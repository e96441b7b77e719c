using Spectre.Console;
using Spectre.Console.Rendering;

namespace MarginOrleans.Cli;

/// <summary>
/// A table that fits the width it is drawn at. Spectre squeezes every column of a table wider than
/// the terminal and wraps the cells, which splits a number across lines ("60123.4" as "6012" over
/// "3.4"). Here no cell wraps: the columns that do not fit fold into a further table below,
/// which repeats the first column when it is the rows' key (the symbol, the journal's #), so
/// every figure stays whole and on its row.
/// </summary>
public sealed class FittedTable(string title, bool keyed, IReadOnlyList<string> columns) : Renderable
{
    /// <summary>Wide enough that measuring a table never wraps it.</summary>
    private const int Unbounded = 100_000;

    private readonly List<string[]> rows = [];

    /// <summary>One row of markup cells, one per column.</summary>
    public FittedTable AddRow(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    /// <summary>The tables drawn at <paramref name="maxWidth"/>: the first with the title, each fitting if any column can.</summary>
    private IReadOnlyList<Table> Fold(RenderOptions options, int maxWidth)
    {
        var tables = new List<Table>();
        var key = keyed ? new List<int> { 0 } : [];
        var group = new List<int>(key);
        foreach (var column in Enumerable.Range(key.Count, columns.Count - key.Count))
        {
            var wider = group.Append(column).ToList();
            if (group.Count > key.Count && Width(wider, options) > maxWidth)
            {
                tables.Add(Build(group, tables.Count == 0));
                wider = [.. key, column];
            }

            group = wider;
        }

        tables.Add(Build(group, tables.Count == 0));
        return tables;
    }

    protected override Measurement Measure(RenderOptions options, int maxWidth)
    {
        var widest = Fold(options, maxWidth).Max(t => Width(t, options));
        return new Measurement(Math.Min(widest, maxWidth), Math.Min(widest, maxWidth));
    }

    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        ((IRenderable)new Rows(Fold(options, maxWidth))).Render(options, maxWidth);

    private int Width(List<int> group, RenderOptions options) => Width(Build(group, first: false), options);

    private static int Width(Table table, RenderOptions options) => ((IRenderable)table).Measure(options, Unbounded).Max;

    private Table Build(List<int> group, bool first)
    {
        var table = new Table().Border(TableBorder.Simple);
        if (first)
        {
            table.Title(title);
        }

        foreach (var column in group)
        {
            table.AddColumn(new TableColumn(columns[column]).RightAligned().PadLeft(0).NoWrap());
        }

        foreach (var row in rows)
        {
            table.AddRow(group.Select(c => c < row.Length ? row[c] : "").ToArray());
        }

        return table;
    }
}
