using System.Globalization;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Spectre tables for the API's messages, narrow enough for an 80-column terminal.</summary>
public static class Render
{
    public static Table Positions(IEnumerable<Position> positions)
    {
        var table = Narrow("positions", "symbol", "mode", "side", "qty", "entry", "mark", "lev", "margin", "uPnL", "liq. price", "tp / sl", "max remove");
        foreach (var p in positions)
        {
            var pnl = p.UnrealizedPnl.StartsWith('-') ? $"[red]{Num(p.UnrealizedPnl)}[/]" : $"[green]{Num(p.UnrealizedPnl)}[/]";
            table.AddRow(p.Symbol, p.MarginMode == MarginMode.Cross ? "cross" : "iso", Side(p.Side), p.Quantity, Num(p.EntryPrice), Num(p.MarkPrice),
                p.Leverage + "x", Num(p.IsolatedMargin), pnl, p.LiquidationPrice is "" ? "--" : Num(p.LiquidationPrice),
                $"{(p.TakeProfitPrice is "" ? "--" : Num(p.TakeProfitPrice))} / {(p.StopLossPrice is "" ? "--" : Num(p.StopLossPrice))}", Num(p.MaxRemovable));
        }

        return table;
    }

    /// <summary>Exchanges show the ADL queue as five lights: this many lit.</summary>
    public static string DeleverageLights(int quantile) => new string('■', quantile) + new string('□', 5 - Math.Clamp(quantile, 0, 5));

    public static Table Account(Account a)
    {
        var table = Narrow($"account {a.AccountId}", "wallet", "margin bal.", "maint.", "ratio", "available", "max withdraw", "equity", "lev. cap");
        table.AddRow(Num(a.WalletBalance), Num(a.MarginBalance), Num(a.MaintenanceMargin), a.MarginRatio, Num(a.Available),
            Num(a.MaxWithdrawal), Num(a.Equity), a.LeverageCap == 0 ? "--" : a.LeverageCap + "x");
        return table;
    }

    public static void Reply(string what, CommandReply r)
    {
        if (r.Fee != "0" || r.RealizedPnl != "0")
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{what}[/]  wallet {r.WalletBalance}  fill {r.FillPrice}  fee {r.Fee}  realized {r.RealizedPnl}");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{what}[/]  wallet {r.WalletBalance}");
        }

        if (r.Note.Length > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]note:[/] {r.Note}");
        }

        AnsiConsole.Write(r.Position is null ? new Text("no open position\n") : Positions([r.Position]));
    }

    public static string Side(Side side) => side == Api.V1.Side.Long ? "[green]long[/]" : "[red]short[/]";

    /// <summary>A decimal string shortened for the eye to 4 places; the API keeps every digit.</summary>
    public static string Num(string value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? Math.Round(d, 4).ToString("0.####", CultureInfo.InvariantCulture)
            : value;

    public static Table Narrow(string title, params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple).Title(title);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned().PadLeft(0));
        }

        return table;
    }
}
