using System.CommandLine;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

public static class PositionCommands
{
    private static readonly Argument<string> Symbol = new("symbol") { Description = "e.g. BTC-USDT" };
    private static readonly Argument<string> SideArgument = Sides.Argument();
    private static readonly Argument<string> Quantity = new("quantity") { Description = "in base units, e.g. 0.01" };
    private static readonly Option<int?> Leverage = AtLeastOne(new("--leverage") { Description = "leverage, 1 or more; left out: the symbol's setting (the open position's)" });
    private static readonly Option<string> TakeProfit = new("--tp") { Description = "take-profit: close all when the mark reaches this price", DefaultValueFactory = _ => "" };
    private static readonly Option<string> StopLoss = new("--sl") { Description = "stop-loss: close all when the mark reaches this price", DefaultValueFactory = _ => "" };

    public static Command Position()
    {
        var leg = Legs.Option();
        var command = new Command("position", "one position with its ADL indicator: 1 (last) to 5 (first to be auto-deleveraged if a fund cannot pay)") { Symbol, leg };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var p = await new Positions.PositionsClient(channel).GetPositionAsync(
                new GetPositionRequest { Symbol = parse.GetValue(Symbol)!, PositionSide = Legs.Parse(parse.GetValue(leg)!) }, headers, cancellationToken: ct);
            AnsiConsole.Write(Render.Positions([p], await Figures.Read(channel, headers, ct)));
            AnsiConsole.MarkupLineInterpolated($"ADL indicator {Render.DeleverageLights(p.AdlQuantile)}  ({p.AdlQuantile} of 5)");
        }, cancel));
        return command;
    }

    public static Command Preview()
    {
        var leg = Legs.Option();
        var command = new Command("preview", "margin, fee, liquidation and bankruptcy price of a position before opening it") { Symbol, SideArgument, Quantity, Leverage, leg };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var p = await new Positions.PositionsClient(channel).PreviewPositionAsync(new PreviewPositionRequest
            {
                Symbol = parse.GetValue(Symbol), Side = Sides.Parse(parse.GetValue(SideArgument)!), Quantity = parse.GetValue(Quantity), Leverage = parse.GetValue(Leverage) ?? 0,
                PositionSide = Legs.Parse(parse.GetValue(leg)!),
            }, headers, cancellationToken: ct);
            var (symbol, side, figures) = (parse.GetValue(Symbol)!, Sides.Parse(parse.GetValue(SideArgument)!), await Figures.Read(channel, headers, ct));
            var table = Render.Record("preview", "fill", "notional", "lev", "initial margin", "maint. margin", "fee", "liq. price", "bankr. price");
            table.AddRow(figures.Price(symbol, p.FillPrice), Figures.Money(p.Notional), p.Leverage + "x", Figures.Money(p.InitialMargin), Figures.Money(p.MaintenanceMargin),
                Figures.Money(p.Fee), figures.Trigger(symbol, side, p.LiquidationPrice), figures.Trigger(symbol, side, p.BankruptcyPrice));
            AnsiConsole.Write(table);
        }, cancel));
        return command;
    }

    public static Command Open()
    {
        var limit = new Option<string>("--limit") { Description = "fill only if the mark is at or better than this price", DefaultValueFactory = _ => "" };
        var leg = Legs.Option();
        var reduceOnly = new Option<bool>("--reduce-only") { Description = "one-way mode: only reduce the position; larger than it, the rest expires" };
        var command = new Command("open", "open, add to, reduce or flip a position at the mark (isolated or cross: the symbol's mode); in hedge mode the opposite side of a leg only reduces it")
        {
            Symbol, SideArgument, Quantity, Leverage, limit, TakeProfit, StopLoss, leg, reduceOnly,
        };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Positions.PositionsClient(channel).OpenPositionAsync(new OpenPositionRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(Symbol), Side = Sides.Parse(parse.GetValue(SideArgument)!),
                Quantity = parse.GetValue(Quantity), Leverage = parse.GetValue(Leverage) ?? 0, LimitPrice = parse.GetValue(limit),
                TakeProfitPrice = parse.GetValue(TakeProfit), StopLossPrice = parse.GetValue(StopLoss),
                PositionSide = Legs.Parse(parse.GetValue(leg)!), ReduceOnly = parse.GetValue(reduceOnly),
            }, headers, cancellationToken: ct);
            Render.Reply("filled", reply, parse.GetValue(Symbol)!, await Figures.Read(channel, headers, ct));
        }, cancel));
        return command;
    }

    public static Command Close()
    {
        var quantity = new Argument<string>("quantity") { Description = "how much; default all", DefaultValueFactory = _ => "" };
        var leg = Legs.Option();
        var command = new Command("close", "close all or part of a position at the mark") { Symbol, quantity, leg };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Positions.PositionsClient(channel).ClosePositionAsync(new ClosePositionRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(Symbol), Quantity = parse.GetValue(quantity),
                PositionSide = Legs.Parse(parse.GetValue(leg)!),
            }, headers, cancellationToken: ct);
            Render.Reply("closed", reply, parse.GetValue(Symbol)!, await Figures.Read(channel, headers, ct));
        }, cancel));
        return command;
    }

    public static Command TakeProfitStopLoss()
    {
        var leg = Legs.Option();
        var command = new Command("tpsl", "set the position's take-profit and stop-loss (an order left out is removed)") { Symbol, TakeProfit, StopLoss, leg };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Positions.PositionsClient(channel).SetTakeProfitStopLossAsync(new SetTakeProfitStopLossRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(Symbol),
                TakeProfitPrice = parse.GetValue(TakeProfit), StopLossPrice = parse.GetValue(StopLoss),
                PositionSide = Legs.Parse(parse.GetValue(leg)!),
            }, headers, cancellationToken: ct);
            Render.Reply("orders set", reply, parse.GetValue(Symbol)!, await Figures.Read(channel, headers, ct));
        }, cancel));
        return command;
    }

    public static Command Margin(string name, bool add)
    {
        var amount = new Argument<string>("amount") { Description = "USDT" };
        var leg = Legs.Option();
        var command = new Command(name, add ? "move margin from the wallet into a position" : "take margin out of a position (up to its max removable)") { Symbol, amount, leg };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var client = new Positions.PositionsClient(channel);
            var request = new MarginRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(Symbol), Amount = parse.GetValue(amount), PositionSide = Legs.Parse(parse.GetValue(leg)!),
            };
            var reply = add ? await client.AddMarginAsync(request, headers, cancellationToken: ct) : await client.RemoveMarginAsync(request, headers, cancellationToken: ct);
            Render.Reply(add ? "margin added" : "margin removed", reply, parse.GetValue(Symbol)!, await Figures.Read(channel, headers, ct));
        }, cancel));
        return command;
    }

    /// <summary>0 is not "left out": a leverage given must be 1 or more.</summary>
    internal static Option<int?> AtLeastOne(Option<int?> leverage)
    {
        leverage.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 and var given)
            {
                r.AddError($"--leverage must be 1 or more, not {given}; leave it out to keep the symbol's setting");
            }
        });
        return leverage;
    }
}
