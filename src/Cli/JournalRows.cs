using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Journal rows as a table (ISO times, figures by the one formatting rule) or as CSV with the exact decimals.</summary>
public static class JournalRows
{
    private static readonly string[] Columns = ["#", "time (UTC)", "kind", "symbol", "qty", "price", "wallet Δ", "realized", "fee", "wallet", "detail"];

    /// <summary>The CSV header: the typed details come last, so the columns before them keep their places.</summary>
    public const string CsvHeader = "sequence,time,kind,symbol,quantity,price,wallet_delta,realized_pnl,fee,wallet_balance,leverage,margin_mode,leverage_cap,fund";

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
            table.AddRow(e.Sequence.ToString(), e.Time.Length >= 19 ? e.Time[5..19].Replace('T', ' ') : e.Time, e.Kind, e.Symbol, traded ? e.Quantity : "",
                traded ? figures.Price(e.Symbol, e.Price) : "", Figures.Money(e.WalletDelta), Figures.Money(e.RealizedPnl), Figures.Money(e.Fee), Figures.Money(e.WalletBalance),
                Markup.Escape(Detail(e)));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One row with the exact decimals; a detail the row's kind does not have is empty.</summary>
    public static string Csv(JournalEntry e) => string.Join(',', e.Sequence, e.Time, e.Kind, e.Symbol, e.Quantity, e.Price, e.WalletDelta, e.RealizedPnl, e.Fee, e.WalletBalance,
        e.Leverage == 0 ? "" : e.Leverage.ToString(), Mode(e.MarginMode), e.LeverageCap == 0 ? "" : e.LeverageCap.ToString(), e.Fund);

    /// <summary>What the row's kind says besides its figures: the leverage, margin mode or cap it set, or the fund it paid.</summary>
    public static string Detail(JournalEntry e) => (e.Leverage, e.MarginMode, e.LeverageCap, e.Fund) switch
    {
        ( > 0, _, _, _) => $"leverage {e.Leverage}x",
        (_, not MarginMode.Unspecified, _, _) => $"{Mode(e.MarginMode)} margin",
        (_, _, > 0, _) => $"leverage cap {e.LeverageCap}x",
        (_, _, _, { Length: > 0 }) => $"to insurance fund {e.Fund}",
        _ => "",
    };

    private static string Mode(MarginMode mode) => mode switch
    {
        MarginMode.Cross => "cross",
        MarginMode.Isolated => "isolated",
        _ => "",
    };
}
