using System.CommandLine;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

/// <summary>`margin order …`: conditional orders that wait on the mark (stop, take-profit, trailing stop).</summary>
public static class OrderCommands
{
    private static readonly string[] Types = ["stop", "take-profit", "trailing"];

    public static Command Order() => new("order", "conditional orders: wait on the mark, then fill at the mark once")
    {
        Place(), Amend(), Cancel(), List(),
    };

    private static Command Place()
    {
        var symbol = new Argument<string>("symbol") { Description = "e.g. BTC-USDT" };
        var type = new Argument<string>("type") { Description = "stop, take-profit or trailing" };
        type.AcceptOnlyFromAmong(Types);
        var side = Sides.Argument();
        var quantity = new Argument<string>("quantity") { Description = "in base units; left out with --close-position", DefaultValueFactory = _ => "" };
        var trigger = new Option<string>("--trigger") { Description = "stop and take-profit: the mark that fires it", DefaultValueFactory = _ => "" };
        var callback = new Option<string>("--callback") { Description = "trailing: percent back from the best mark, 0.1 to 10", DefaultValueFactory = _ => "" };
        var activation = new Option<string>("--activation") { Description = "trailing: the mark it starts to follow at", DefaultValueFactory = _ => "" };
        var close = new Option<bool>("--close-position") { Description = "close the whole leg when it fires" };
        var reduceOnly = new Option<bool>("--reduce-only") { Description = "one-way mode: only reduce the position" };
        var goodTill = new Option<string>("--good-till") { Description = "RFC 3339 time it expires at; left out: until cancelled", DefaultValueFactory = _ => "" };
        var leverage = PositionCommands.AtLeastOne(new("--leverage") { Description = "leverage when it fires; left out: the symbol's setting then" });
        var leg = Legs.Option();
        var command = new Command("place", "place a stop, take-profit or trailing stop order")
        {
            symbol, type, side, quantity, trigger, callback, activation, close, reduceOnly, goodTill, leverage, leg,
        };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Orders.OrdersClient(channel).PlaceOrderAsync(new PlaceOrderRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(symbol), Type = Type(parse.GetValue(type)!), Side = Sides.Parse(parse.GetValue(side)!),
                Quantity = parse.GetValue(quantity), TriggerPrice = parse.GetValue(trigger), CallbackRate = parse.GetValue(callback),
                ActivationPrice = parse.GetValue(activation), ClosePosition = parse.GetValue(close), ReduceOnly = parse.GetValue(reduceOnly),
                GoodTill = parse.GetValue(goodTill), Leverage = parse.GetValue(leverage) ?? 0, PositionSide = Legs.Parse(parse.GetValue(leg)!),
            }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]order {reply.OrderId} placed[/]  wallet {Figures.Money(reply.WalletBalance)}");
        }, cancel));
        return command;
    }

    private static Command Amend()
    {
        var id = new Argument<long>("id") { Description = "the order's id" };
        var trigger = new Option<string>("--trigger") { Description = "a new trigger price", DefaultValueFactory = _ => "" };
        var quantity = new Option<string>("--quantity") { Description = "a new quantity", DefaultValueFactory = _ => "" };
        var callback = new Option<string>("--callback") { Description = "a new callback rate, percent", DefaultValueFactory = _ => "" };
        var activation = new Option<string>("--activation") { Description = "a new activation price", DefaultValueFactory = _ => "" };
        var goodTill = new Option<string>("--good-till") { Description = "a new expiry, RFC 3339", DefaultValueFactory = _ => "" };
        var command = new Command("amend", "change a waiting order; what is left out stays") { id, trigger, quantity, callback, activation, goodTill };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Orders.OrdersClient(channel).AmendOrderAsync(new AmendOrderRequest
            {
                RequestId = Connection.RequestId(), OrderId = parse.GetValue(id), TriggerPrice = parse.GetValue(trigger), Quantity = parse.GetValue(quantity),
                CallbackRate = parse.GetValue(callback), ActivationPrice = parse.GetValue(activation), GoodTill = parse.GetValue(goodTill),
            }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]order {reply.OrderId} amended[/]");
        }, cancel));
        return command;
    }

    private static Command Cancel()
    {
        var id = new Argument<long>("id") { Description = "the order's id" };
        var command = new Command("cancel", "cancel a waiting order") { id };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Orders.OrdersClient(channel).CancelOrderAsync(
                new CancelOrderRequest { RequestId = Connection.RequestId(), OrderId = parse.GetValue(id) }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]order {reply.OrderId} cancelled[/]");
        }, cancel));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "your waiting orders, oldest first");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var orders = (await new Orders.OrdersClient(channel).ListOrdersAsync(new ListOrdersRequest(), headers, cancellationToken: ct)).Orders;
            var figures = await Figures.Read(channel, headers, ct);
            var table = Render.Narrow("orders", "id", "symbol", "leg", "type", "side", "quantity", "trigger", "callback", "good till");
            foreach (var o in orders)
            {
                table.AddRow(o.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture), o.Symbol, Legs.Word(o.PositionSide), Word(o.Type), Render.Side(o.Side),
                    o.ClosePosition ? "all" : o.Quantity, o.TriggerPrice.Length > 0 ? figures.Price(o.Symbol, o.TriggerPrice) : o.ActivationPrice.Length > 0 ? "from " + figures.Price(o.Symbol, o.ActivationPrice) : "now",
                    o.CallbackRate.Length > 0 ? o.CallbackRate + "%" : "", o.GoodTill.Length > 0 ? o.GoodTill : "cancelled");
            }

            AnsiConsole.Write(orders.Count == 0 ? new Text("no orders waiting\n") : table);
        }, cancel));
        return command;
    }

    private static OrderType Type(string word) => word switch
    {
        "stop" => OrderType.StopMarket,
        "take-profit" => OrderType.TakeProfitMarket,
        _ => OrderType.TrailingStopMarket,
    };

    private static string Word(OrderType type) => type switch
    {
        OrderType.StopMarket => "stop",
        OrderType.TakeProfitMarket => "take-profit",
        _ => "trailing",
    };
}
