using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Spectre tables for the API's messages.</summary>
public static class Render
{
    public static Table Positions(IEnumerable<Position> positions)
    {
        var table = new Table().Title("positions").AddColumns("symbol", "mode", "side", "qty", "entry", "mark", "lev", "margin", "uPnL", "equity", "MM", "liq. price", "bankr.", "max remove");
        foreach (var p in positions)
        {
            var pnl = p.UnrealizedPnl.StartsWith('-') ? $"[red]{p.UnrealizedPnl}[/]" : $"[green]{p.UnrealizedPnl}[/]";
            table.AddRow(p.Symbol, p.MarginMode == MarginMode.Cross ? "cross" : "isolated", Side(p.Side), p.Quantity, p.EntryPrice, p.MarkPrice, p.Leverage + "x", p.IsolatedMargin, pnl, p.Equity,
                p.MaintenanceMargin, p.LiquidationPrice is "" ? "--" : p.LiquidationPrice, p.BankruptcyPrice, p.MaxRemovable);
        }

        return table;
    }

    public static Table Account(Account a)
    {
        var table = new Table().Title($"account {a.AccountId}")
            .AddColumns("wallet", "margin balance", "maint. margin", "margin ratio", "available", "max withdraw", "isolated margin", "uPnL", "equity", "lev. cap");
        table.AddRow(a.WalletBalance, a.MarginBalance, a.MaintenanceMargin, a.MarginRatio, a.Available, a.MaxWithdrawal, a.IsolatedMargin, a.UnrealizedPnl, a.Equity,
            a.LeverageCap == 0 ? "--" : a.LeverageCap + "x");
        return table;
    }

    public static void Reply(string what, CommandReply r)
    {
        AnsiConsole.MarkupLineInterpolated($"[green]{what}[/]  wallet {r.WalletBalance}  fill {r.FillPrice}  fee {r.Fee}  realized {r.RealizedPnl}");
        AnsiConsole.Write(r.Position is null ? new Text("no open position\n") : Positions([r.Position]));
    }

    public static string Side(Side side) => side == Api.V1.Side.Long ? "[green]long[/]" : "[red]short[/]";
}
