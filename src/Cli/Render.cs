using System.Globalization;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>Spectre tables for the API's messages; each fits the terminal (<see cref="FittedTable"/>), 80 columns included.</summary>
public static class Render
{
    /// <summary>
    /// Positions, then a line each with ROE (uPnL over the initial margin at entry, as exchanges show
    /// it) and how far the mark is from the liquidation price. Break-even, funding and fees are the
    /// leg's since it opened (funding received positive, paid negative). A cross position's margin is the
    /// account's: its column shows the position's share (IM / MM at the mark); nothing to remove.
    /// </summary>
    public static Rows Positions(IEnumerable<Position> positions, Figures figures)
    {
        var list = positions.ToList();
        var table = Narrow("positions", "symbol", "mode", "leg", "side", "qty", "entry", "mark", "lev", "margin", "uPnL", "liq. price", "tp / sl", "max remove",
            "break-even", "funding / fees");
        var lines = new List<string>();
        foreach (var p in list)
        {
            var isCross = p.MarginMode == MarginMode.Cross;
            var pnl = p.UnrealizedPnl.StartsWith('-') ? $"[red]{Figures.Money(p.UnrealizedPnl)}[/]" : $"[green]{Figures.Money(p.UnrealizedPnl)}[/]";
            table.AddRow(p.Symbol, isCross ? "cross" : "iso", Legs.Word(p.PositionSide), Side(p.Side), p.Quantity, Figures.Money(p.EntryPrice), figures.Price(p.Symbol, p.MarkPrice), p.Leverage + "x",
                isCross ? $"{Figures.Money(p.InitialMargin)} / {Figures.Money(p.MaintenanceMargin)}" : Figures.Money(p.IsolatedMargin), pnl,
                figures.Trigger(p.Symbol, p.Side, p.LiquidationPrice),
                $"{figures.Price(p.Symbol, p.TakeProfitPrice)} / {figures.Price(p.Symbol, p.StopLossPrice)}",
                isCross ? "n/a" : Figures.Money(p.MaxRemovable),
                figures.BreakEven(p.Symbol, p.Side, p.BreakEvenPrice),
                $"{Shown(p.FundingSinceOpen)} / {Shown(p.FeesSinceOpen)}");
            var entryMargin = Dec(p.Quantity) * Dec(p.EntryPrice) / Math.Max(1, p.Leverage);
            var away = p.LiquidationPrice is "" || Dec(p.MarkPrice) == 0m ? "none at any positive mark"
                : Figures.Ratio(Math.Abs(Dec(p.MarkPrice) - Dec(p.LiquidationPrice)) / Dec(p.MarkPrice)) + " away";
            lines.Add($"{Legs.Name(p.Symbol, p.PositionSide)}: ROE {Figures.Ratio(entryMargin == 0m ? 0m : Dec(p.UnrealizedPnl) / entryMargin)}, liquidation {away}");
        }

        if (list.Any(p => p.MarginMode == MarginMode.Cross))
        {
            lines.Add("cross: margin is the account's (IM / MM at the mark shown); the liquidation price is an estimate with other marks held");
        }

        return new Rows([table, .. lines.Select(l => new Text(l))]);
    }

    /// <summary>Money, or "--" when the gateway sent none.</summary>
    private static string Shown(string money) => money is "" ? "--" : Figures.Money(money);

    private static decimal Dec(string value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m;

    /// <summary>Exchanges show the ADL queue as five lights: this many lit.</summary>
    public static string DeleverageLights(int quantile) => new string('■', quantile) + new string('□', 5 - Math.Clamp(quantile, 0, 5));

    public static FittedTable Account(Account account)
    {
        var table = Record($"account {account.AccountId}", "wallet", "margin bal.", "maint.", "ratio", "available", "max withdraw", "equity", "lev. cap", "position mode");
        table.AddRow(Figures.Money(account.WalletBalance), Figures.Money(account.MarginBalance), Figures.Money(account.MaintenanceMargin), Ratio(account.MarginRatio), Figures.Money(account.Available),
            Figures.Money(account.MaxWithdrawal), Figures.Money(account.Equity), account.LeverageCap == 0 ? "--" : account.LeverageCap + "x",
            account.PositionMode == PositionMode.Unspecified ? "--" : Legs.Word(account.PositionMode));
        return table;
    }

    /// <summary>The margin ratio as a percentage (the API sends the ratio itself; empty when there is no maintenance margin).</summary>
    private static string Ratio(string ratio) =>
        decimal.TryParse(ratio, NumberStyles.Number, CultureInfo.InvariantCulture, out var r) ? Figures.Ratio(r) : "--";

    public static void Reply(string what, CommandReply reply, string symbol, Figures figures)
    {
        if (reply.Fee != "0" || reply.RealizedPnl != "0")
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{what}[/]  wallet {Figures.Money(reply.WalletBalance)}  fill {figures.Price(symbol, reply.FillPrice)}  fee {Figures.Money(reply.Fee)}  realized {Figures.Money(reply.RealizedPnl)}");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{what}[/]  wallet {Figures.Money(reply.WalletBalance)}");
        }

        if (reply.Note.Length > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]note:[/] {reply.Note}");
        }

        AnsiConsole.Write(reply.Position is null ? new Text("no open position\n") : Positions([reply.Position], figures));
    }

    public static string Side(Side side) => side == Api.V1.Side.Long ? "[green]long[/]" : "[red]short[/]";

    /// <summary>Rows keyed by their first column (a symbol, a sequence number): folded at a narrow terminal, each part repeats it.</summary>
    public static FittedTable Narrow(string title, params string[] columns) => new(title, keyed: true, columns);

    /// <summary>One record's figures (an account, a preview, a fund): folded at a narrow terminal, without a key to repeat.</summary>
    public static FittedTable Record(string title, params string[] columns) => new(title, keyed: false, columns);
}
