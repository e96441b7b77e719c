using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Journal rows as a table (ISO times, figures by the one formatting rule) or as CSV with the exact decimals.</summary>
public static class JournalRows
{
    private static readonly string[] Columns = ["#", "time (UTC)", "kind", "symbol", "leg", "qty", "price", "wallet Δ", "realized", "fee", "wallet", "detail"];

    /// <summary>The CSV header: the typed details come last, so the columns before them keep their places.</summary>
    public const string CsvHeader = "sequence,time,kind,symbol,quantity,price,wallet_delta,realized_pnl,fee,wallet_balance,leverage,margin_mode,leverage_cap,fund,position_side,position_mode";

    public static void Write(IEnumerable<JournalEntry> rows, bool csv, Figures figures)
    {
        if (csv)
        {
            Console.WriteLine(CsvHeader);
            foreach (var e in rows)
            {
                Console.WriteLine(Csv(e));
            }

            return;
        }

        var table = Render.Narrow("journal", Columns);
        foreach (var e in rows)
        {
            // Month, day and time fit the table; --csv keeps the full ISO 8601 time.
            // A wallet move (deposit, withdrawal, a transfer to a fund) has no symbol, so no quantity or price to show.
            var traded = e.Symbol.Length > 0;
            table.AddRow(e.Sequence.ToString(), e.Time.Length >= 19 ? e.Time[5..19].Replace('T', ' ') : e.Time, e.Kind, e.Symbol, Leg(e.PositionSide), traded ? e.Quantity : "",
                traded ? figures.Price(e.Symbol, e.Price) : "", Figures.Money(e.WalletDelta), Figures.Money(e.RealizedPnl), Figures.Money(e.Fee), Figures.Money(e.WalletBalance),
                Markup.Escape(Detail(e)));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One row with the exact decimals; a detail the row's kind does not have is empty.</summary>
    public static string Csv(JournalEntry entry) => string.Join(',', entry.Sequence, entry.Time, entry.Kind, entry.Symbol, entry.Quantity, entry.Price, entry.WalletDelta, entry.RealizedPnl, entry.Fee, entry.WalletBalance,
        entry.Leverage == 0 ? "" : entry.Leverage.ToString(), Mode(entry.MarginMode), entry.LeverageCap == 0 ? "" : entry.LeverageCap.ToString(), entry.Fund,
        Leg(entry.PositionSide), Legs.Word(entry.PositionMode));

    /// <summary>What the row's kind says besides its figures: the leverage, margin mode, cap or position mode it set, or the fund it paid.</summary>
    public static string Detail(JournalEntry entry) => (entry.Leverage, entry.MarginMode, entry.LeverageCap, entry.Fund, entry.PositionMode) switch
    {
        ( > 0, _, _, _, _) => $"leverage {entry.Leverage}x",
        (_, not MarginMode.Unspecified, _, _, _) => $"{Mode(entry.MarginMode)} margin",
        (_, _, > 0, _, _) => $"leverage cap {entry.LeverageCap}x",
        (_, _, _, { Length: > 0 }, _) => $"to insurance fund {entry.Fund}",
        (_, _, _, _, not PositionMode.Unspecified) => $"position mode {Legs.Word(entry.PositionMode)}",
        _ => "",
    };

    /// <summary>A position row's leg; a row with no position (a deposit, a setting) has none.</summary>
    private static string Leg(PositionSide leg) => leg == PositionSide.Unspecified ? "" : Legs.Word(leg);

    private static string Mode(MarginMode mode) => mode switch
    {
        MarginMode.Cross => "cross",
        MarginMode.Isolated => "isolated",
        _ => "",
    };
}
