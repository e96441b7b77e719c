using MarginOrleans.Tests.Support;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Conditional orders through the gateway: a trader's stop entry fills when the operator moves the
/// mark across it, once; each bad order gets a precise status and reason and changes nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OrderTests(GatewayFixture gateway) : IAsyncLifetime
{
    private Api.V1.Orders.OrdersClient Orders => new(gateway.Channel);

    private string trader = "";
    private string hedger = "";

    public async Task InitializeAsync()
    {
        await gateway.Price("20000");
        (trader, _) = await gateway.Trader("10000");
        (hedger, _) = await gateway.Trader("10000");
        await gateway.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = PositionMode.Hedge }, Bearer(hedger));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AStopEntry_FillsOnceWhenTheOperatorMovesTheMarkAcrossIt()
    {
        var placed = await Orders.PlaceOrderAsync(new PlaceOrderRequest
        {
            RequestId = RequestId(), Symbol = "btc-usdt", Type = OrderType.StopMarket, Side = Side.Long, Quantity = "0.1", TriggerPrice = "20500", Leverage = 10,
        }, Bearer(trader));
        var listed = (await Orders.ListOrdersAsync(new ListOrdersRequest(), Bearer(trader))).Orders.Single();
        Assert.Equal((placed.OrderId, OrderType.StopMarket, "BTC-USDT", "0.1", "20500", 10), (listed.OrderId, listed.Type, listed.Symbol, listed.Quantity, listed.TriggerPrice, listed.Leverage));

        await gateway.Price("20600");
        await new Trading(gateway.Grains).Quiet();

        var position = await gateway.Positions.GetPositionAsync(new GetPositionRequest { Symbol = Symbol }, Bearer(trader));
        Assert.Equal(("0.1", "20600", "206"), (position.Quantity, position.EntryPrice, position.IsolatedMargin));
        Assert.Empty((await Orders.ListOrdersAsync(new ListOrdersRequest(), Bearer(trader))).Orders);
        var rows = (await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), Bearer(trader))).Entries;
        Assert.Equal([("OrderPlaced", placed.OrderId), ("PositionOpened", 0L), ("OrderTriggered", placed.OrderId)], rows.Skip(1).Select(r => (r.Kind, r.OrderId)));
        Assert.Equal("engine:order:" + placed.OrderId, rows[2].RequestId);
        await gateway.AssertBalanced();
    }

    public static TheoryData<string> Cases => [.. BadOrders.Keys];

    private static readonly Dictionary<string, (StatusCode Code, string Message, PlaceOrderRequest Order, string Key)> BadOrders = new()
    {
        ["no type"] = (StatusCode.InvalidArgument, "type: must be ORDER_TYPE_STOP_MARKET", Order(o => o.Type = OrderType.Unspecified), "trader"),
        ["good-till not a time"] = (StatusCode.InvalidArgument, "good_till: 'tomorrow' is not an RFC 3339 time", Order(o => o.GoodTill = "tomorrow"), "trader"),
        ["callback rate out of range"] = (StatusCode.InvalidArgument, "CallbackRateOutOfRange: callback rate 12% must be from 0.1% to 10% in steps of 0.1%",
            Trailing(o => o.CallbackRate = "12"), "trader"),
        ["activation on the wrong side"] = (StatusCode.FailedPrecondition,
            "ActivationPriceReached: activation price 19000 is already reached at the mark 20000: a SELL trailing stop activates above the mark",
            Trailing(o => o.ActivationPrice = "19000"), "trader"),
        ["reduce-only with no position"] = (StatusCode.FailedPrecondition, "ReduceOnlyWouldIncrease: the order only reduces, and the BTC-USDT position holds nothing a SELL reduces",
            Order(o => (o.Side, o.TriggerPrice, o.ReduceOnly) = (Side.Short, "19000", true)), "trader"),
        ["a LONG leg in one-way mode"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in one-way mode", Order(o => o.PositionSide = PositionSide.Long), "trader"),
        ["no leg in hedge mode"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in hedge mode", Order(_ => { }), "hedger"),
        ["would fire at once"] = (StatusCode.FailedPrecondition, "TriggerWouldFireNow: trigger price 19900 would fire at once at the mark 20000", Order(o => o.TriggerPrice = "19900"), "trader"),
        ["trigger price on a trailing stop"] = (StatusCode.InvalidArgument, "OrderFieldsInvalid: a trailing stop has no trigger price", Trailing(o => o.TriggerPrice = "21000"), "trader"),
        ["quantity and close-position"] = (StatusCode.InvalidArgument, "OrderFieldsInvalid: give a quantity or close_position, not both", Order(o => o.ClosePosition = true), "trader"),
    };

    private static PlaceOrderRequest Order(Action<PlaceOrderRequest> change)
    {
        var order = new PlaceOrderRequest { Symbol = Symbol, Type = OrderType.StopMarket, Side = Side.Long, Quantity = "0.1", TriggerPrice = "20500" };
        change(order);
        return order;
    }

    private static PlaceOrderRequest Trailing(Action<PlaceOrderRequest> change) => Order(o =>
    {
        (o.Type, o.Side, o.TriggerPrice, o.CallbackRate) = (OrderType.TrailingStopMarket, Side.Short, "", "1");
        change(o);
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABadOrder_GetsAPreciseStatus_AndChangesNothing(string name)
    {
        var (code, message, order, who) = BadOrders[name];
        var key = who == "trader" ? trader : hedger;
        var before = await State(key);
        var auditBefore = await gateway.AssertBalanced();

        var request = order.Clone();
        request.RequestId = RequestId();
        var error = await Assert.ThrowsAsync<RpcException>(() => Orders.PlaceOrderAsync(request, Bearer(key)).ResponseAsync);

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
        Assert.Equal(before, await State(key));
        Assert.Equal(auditBefore, await gateway.AssertBalanced());
    }

    [Fact]
    public async Task AnUnknownOrderId_IsNotFound_AndNoIdIsInvalid()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Orders.CancelOrderAsync(new CancelOrderRequest { RequestId = RequestId(), OrderId = 77 }, Bearer(trader)).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "OrderUnknown: no open order 77: never placed, or already fired, cancelled or expired"), (unknown.StatusCode, unknown.Status.Detail));
        var none = await Assert.ThrowsAsync<RpcException>(() =>
            Orders.AmendOrderAsync(new AmendOrderRequest { RequestId = RequestId(), TriggerPrice = "1" }, Bearer(trader)).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "order_id: is required: the id PlaceOrder answered"), (none.StatusCode, none.Status.Detail));
    }

    private async Task<string> State(string key) => string.Join("\n",
        await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(key)),
        await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), Bearer(key)),
        await Orders.ListOrdersAsync(new ListOrdersRequest(), Bearer(key)));
}
