using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Journal rows as a table (ISO times, figures by the one formatting rule) or as CSV with the exact decimals.</summary>
public static class JournalRows
{
    private static readonly string[] Columns = ["#", "time (UTC)", "kind", "symbol", "qty", "price", "wallet Δ", "realized", "fee", "wallet"];

    public static void Write(IEnumerable<JournalEntry> rows, bool csv, Figures figures)
    {
        if (csv)
        {
            Console.WriteLine("sequence,time,kind,symbol,quantity,price,wallet_delta,realized_pnl,fee,wallet_balance");
            foreach (var e in rows)
            {
                Console.WriteLine(string.Join(',', e.Sequence, e.Time, e.Kind, e.Symbol, e.Quantity, e.Price, e.WalletDelta, e.RealizedPnl, e.Fee, e.WalletBalance));
            }

            return;
        }

        var table = Render.Narrow("journal", Columns);
        foreach (var e in rows)
        {
            // Month, day and time fit the table; --csv keeps the full ISO 8601 time.
            // A wallet move (deposit, withdrawal) has no symbol, so no quantity or price to show.
            var traded = e.Symbol.Length > 0;
            table.AddRow(e.Sequence.ToString(), e.Time.Length >= 19 ? e.Time[5..19].Replace('T', ' ') : e.Time, e.Kind, e.Symbol, traded ? e.Quantity : "",
                traded ? figures.Price(e.Symbol, e.Price) : "", Figures.Money(e.WalletDelta), Figures.Money(e.RealizedPnl), Figures.Money(e.Fee), Figures.Money(e.WalletBalance));
        }

        AnsiConsole.Write(table);
    }
}
