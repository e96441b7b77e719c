using System.Text.Json;
using static MarginOrleans.Gateway.Tests.RestCalls;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Every REST route of the protos answers a plain HTTP client with JSON, through the same services
/// as gRPC: an operator sets up a market and a trader, the trader trades, the operator looks on.
/// Decimals are strings, exactly as the gRPC replies carry them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RestRouteTests(GatewayFixture gateway)
{
    private readonly HashSet<string> visited = [];

    [Fact]
    public async Task EveryRoute_AnswersWithJson_AndOpenCloseGetPositionHaveExactDecimals()
    {
        var rest = new RestCalls(gateway.Http());
        var op = gateway.OperatorKey;
        var symbol = "RST" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var brackets = string.Join(",", Silo.DefaultMarkets.Brackets.Select(b =>
            $$"""{"notionalCap":"{{b.NotionalCap}}","maintenanceMarginRate":"{{b.MaintenanceMarginRate}}","leverageMax":{{b.LeverageMax}}}"""));
        var spec = $$"""{"symbol":"{{symbol}}","tickSize":"0.1","lotSize":"0.001","takerFeeRate":"0.0005","brackets":[{{brackets}}]}""";

        Assert.Equal(symbol, Text(await Post(rest, "POST /v1/operator/markets", "/v1/operator/markets", spec, op), "symbol"));
        Assert.Equal("0.1", Text(await Post(rest, "POST /v1/operator/markets/{symbol}:update", $"/v1/operator/markets/{symbol}:update",
            $$"""{"tickSize":"0.1","lotSize":"0.001","takerFeeRate":"0.0005","brackets":[{{brackets}}]}""", op), "tickSize"));
        await Post(rest, "POST /v1/operator/markets/{symbol}:publishPrice", $"/v1/operator/markets/{symbol}:publishPrice", """{"markPrice":"20000"}""", op);
        var sourced = await Post(rest, "POST /v1/operator/markets/{symbol}:publishSourcePrice", $"/v1/operator/markets/{symbol}:publishSourcePrice", """{"source":"test","price":"20000"}""", op);
        Assert.False(sourced.GetProperty("held").GetBoolean());

        var created = await Post(rest, "POST /v1/operator/accounts", "/v1/operator/accounts", $$"""{"requestId":"{{RequestId()}}"}""", op);
        var accountId = Text(created, "accountId");
        var rotated = await Post(rest, "POST /v1/operator/accounts/{account_id}:rotateApiKey", $"/v1/operator/accounts/{accountId}:rotateApiKey", "{}", op);
        var key = Text(rotated, "apiKey");
        Assert.NotEqual(Text(created, "apiKey"), key);
        Assert.Equal("10000", Text(await Post(rest, "POST /v1/operator/accounts/{account_id}:deposit", $"/v1/operator/accounts/{accountId}:deposit",
            $$"""{"requestId":"{{RequestId()}}","amount":"10000"}""", op), "walletBalance"));
        Assert.Equal(accountId, Text(await Get(rest, "GET /v1/operator/accounts/{account_id}", $"/v1/operator/accounts/{accountId}", op), "accountId"));

        var market = await Get(rest, "GET /v1/markets/{symbol}", $"/v1/markets/{symbol.ToLowerInvariant()}");
        Assert.Equal((symbol, "20000", "0.001"), (Text(market, "symbol"), Text(market, "markPrice"), Text(market, "lotSize")));
        Assert.Contains((await Get(rest, "GET /v1/markets", "/v1/markets")).GetProperty("markets").EnumerateArray(), m => Text(m, "symbol") == symbol);
        Assert.Equal(0, (await Get(rest, "GET /v1/markets/{symbol}/funding", $"/v1/markets/{symbol}/funding")).GetProperty("payments").GetArrayLength());
        Visit("GET /v1/markets:streamMarks");
        Assert.Equal("20000", Text(await rest.FirstOfStream($"/v1/markets:streamMarks?symbols={symbol}"), "markPrice"));

        var preview = await Post(rest, "POST /v1/positions:preview", "/v1/positions:preview", $$"""{"symbol":"{{symbol}}","side":"SIDE_LONG","quantity":"1","leverage":10}""", key);
        Assert.Equal(("2000", "80", "10", "18072.28915663", "18000"),
            (Text(preview, "initialMargin"), Text(preview, "maintenanceMargin"), Text(preview, "fee"), Text(preview, "liquidationPrice"), Text(preview, "bankruptcyPrice")));

        var opened = await Post(rest, "POST /v1/positions:open", "/v1/positions:open", $$"""{"requestId":"{{RequestId()}}","symbol":"{{symbol}}","side":"SIDE_LONG","quantity":"1","leverage":10}""", key);
        Assert.Equal(("7990", "0", "10", "20000"), (Text(opened, "walletBalance"), Text(opened, "realizedPnl"), Text(opened, "fee"), Text(opened, "fillPrice")));
        var position = await Get(rest, "GET /v1/positions/{symbol}", $"/v1/positions/{symbol}", key);
        Assert.Equal(("SIDE_LONG", "1", "20000", 10, "2000", "18072.28915663", "18000", "20000", "0", "MARGIN_MODE_ISOLATED"),
            (Text(position, "side"), Text(position, "quantity"), Text(position, "entryPrice"), position.GetProperty("leverage").GetInt32(), Text(position, "isolatedMargin"),
             Text(position, "liquidationPrice"), Text(position, "bankruptcyPrice"), Text(position, "notional"), Text(position, "unrealizedPnl"), Text(position, "marginMode")));
        Assert.Single((await Get(rest, "GET /v1/positions", "/v1/positions", key)).GetProperty("positions").EnumerateArray());

        Assert.Equal(("7490", "2500"), Reply(await Post(rest, "POST /v1/positions/{symbol}:addMargin", $"/v1/positions/{symbol}:addMargin", $$"""{"requestId":"{{RequestId()}}","amount":"500"}""", key), "isolatedMargin"));
        Assert.Equal(("7990", "2000"), Reply(await Post(rest, "POST /v1/positions/{symbol}:removeMargin", $"/v1/positions/{symbol}:removeMargin", $$"""{"requestId":"{{RequestId()}}","amount":"500"}""", key), "isolatedMargin"));
        Assert.Equal(("7990", "25000"), Reply(await Post(rest, "POST /v1/positions/{symbol}:setTakeProfitStopLoss", $"/v1/positions/{symbol}:setTakeProfitStopLoss",
            $$"""{"requestId":"{{RequestId()}}","takeProfitPrice":"25000"}""", key), "takeProfitPrice"));

        // A conditional order: placed, listed, amended, cancelled.
        var placed = await Post(rest, "POST /v1/orders", "/v1/orders", $$"""
            {"requestId":"{{RequestId()}}","symbol":"{{symbol}}","type":"ORDER_TYPE_TAKE_PROFIT_MARKET","side":"SIDE_SHORT","quantity":"0.5","triggerPrice":"24000","reduceOnly":true}
            """, key);
        Assert.Equal("1", placed.GetProperty("orderId").ToString());
        await Post(rest, "POST /v1/orders/{order_id}:amend", "/v1/orders/1:amend", $$"""{"requestId":"{{RequestId()}}","triggerPrice":"24500"}""", key);
        var order = (await Get(rest, "GET /v1/orders", "/v1/orders", key)).GetProperty("orders").EnumerateArray().Single();
        Assert.Equal(("1", "ORDER_TYPE_TAKE_PROFIT_MARKET", "SIDE_SHORT", "0.5", "24500", true),
            (order.GetProperty("orderId").ToString(), Text(order, "type"), Text(order, "side"), Text(order, "quantity"), Text(order, "triggerPrice"), order.GetProperty("reduceOnly").GetBoolean()));
        Assert.Equal("1", (await Post(rest, "POST /v1/orders/{order_id}:cancel", "/v1/orders/1:cancel", $$"""{"requestId":"{{RequestId()}}"}""", key)).GetProperty("orderId").ToString());
        Assert.False((await rest.Get("/v1/orders", key)).TryGetProperty("orders", out var left) && left.GetArrayLength() > 0);

        // Closed at 21,000: +1,000 realized, a fee of 21,000 × 0.05% = 10.5, the 2,000 of margin back.
        await rest.Post($"/v1/operator/markets/{symbol}:publishPrice", """{"markPrice":"21000"}""", op);
        var closed = await Post(rest, "POST /v1/positions/{symbol}:close", $"/v1/positions/{symbol}:close", $$"""{"requestId":"{{RequestId()}}"}""", key);
        Assert.Equal(("10979.5", "1000", "10.5", "21000"), (Text(closed, "walletBalance"), Text(closed, "realizedPnl"), Text(closed, "fee"), Text(closed, "fillPrice")));
        Assert.False(closed.TryGetProperty("position", out _));

        Assert.Equal("10979.5", Text(await Get(rest, "GET /v1/accounts/me", "/v1/accounts/me", key), "walletBalance"));
        Assert.Equal("10979.4", Text(await Post(rest, "POST /v1/accounts/me:withdraw", "/v1/accounts/me:withdraw", $$"""{"requestId":"{{RequestId()}}","amount":"0.1"}""", key), "walletBalance"));
        await Post(rest, "POST /v1/accounts/me/symbols/{symbol}:setLeverage", $"/v1/accounts/me/symbols/{symbol}:setLeverage", $$"""{"requestId":"{{RequestId()}}","leverage":5}""", key);
        await Post(rest, "POST /v1/accounts/me/symbols/{symbol}:setMarginMode", $"/v1/accounts/me/symbols/{symbol}:setMarginMode", $$"""{"requestId":"{{RequestId()}}","marginMode":"MARGIN_MODE_CROSS"}""", key);
        await Post(rest, "POST /v1/accounts/me:setRiskPolicy", "/v1/accounts/me:setRiskPolicy", $$"""{"requestId":"{{RequestId()}}","maxLeverage":20}""", key);
        await Post(rest, "POST /v1/accounts/me:setPositionMode", "/v1/accounts/me:setPositionMode", $$"""{"requestId":"{{RequestId()}}","positionMode":"POSITION_MODE_HEDGE"}""", key);
        var account = await rest.Get("/v1/accounts/me", key);
        Assert.Equal((5, "MARGIN_MODE_CROSS", 20, "POSITION_MODE_HEDGE"), (account.GetProperty("leverage").GetProperty(symbol).GetInt32(),
            account.GetProperty("marginModes").GetProperty(symbol).GetString(), account.GetProperty("leverageCap").GetInt32(), account.GetProperty("positionMode").GetString()));

        var journal = await Get(rest, "GET /v1/accounts/me/journal", "/v1/accounts/me/journal?from=2&limit=3", key);
        Assert.Equal(["PositionOpened", "MarginAdded", "MarginRemoved"], journal.GetProperty("entries").EnumerateArray().Select(e => Text(e, "kind")));
        Assert.Equal(5, journal.GetProperty("nextSequence").GetInt64());
        var funding = await Get(rest, "GET /v1/accounts/me/funding", "/v1/accounts/me/funding?from=2020-01-01T00:00:00Z&pageSize=10", key);
        Assert.Equal((0, ""), (funding.TryGetProperty("payments", out var payments) ? payments.GetArrayLength() : 0, funding.TryGetProperty("nextPageToken", out var token) ? token.GetString() : ""));
        Visit("GET /v1/accounts/me/events:stream");
        Assert.Equal("Deposit", Text((await rest.FirstOfStream("/v1/accounts/me/events:stream?from=1", key)).GetProperty("entry"), "kind"));

        Assert.Equal(symbol, Text(await Get(rest, "GET /v1/operator/insuranceFunds/{symbol}", $"/v1/operator/insuranceFunds/{symbol}", op), "symbol"));
        Assert.Equal("", Text(await Get(rest, "GET /v1/operator/insuranceFunds", "/v1/operator/insuranceFunds", op), "symbol"));
        Assert.Equal("100", Text(await Post(rest, "POST /v1/operator/insuranceFunds/{symbol}:topUp", $"/v1/operator/insuranceFunds/{symbol}:topUp",
            $$"""{"requestId":"{{RequestId()}}","amount":"100"}""", op), "toppedUp"));
        var moved = await Post(rest, "POST /v1/operator/insuranceFunds:move", "/v1/operator/insuranceFunds:move",
            $$"""{"requestId":"{{RequestId()}}","fromSymbol":"{{symbol}}","toSymbol":"{{GatewayFixture.Symbol}}","amount":"40"}""", op);
        Assert.Equal("60", Text(moved.GetProperty("from"), "balance"));
        var heatmap = await Get(rest, "GET /v1/operator/markets/{symbol}/liquidationHeatmap", $"/v1/operator/markets/{symbol}/liquidationHeatmap?bucketSize=1000&bucketsEachSide=2", op);
        Assert.Equal(("21000", 5, "19000", "0"), (Text(heatmap, "markPrice"), heatmap.GetProperty("buckets").GetArrayLength(),
            Text(heatmap.GetProperty("buckets")[0], "low"), Text(heatmap.GetProperty("buckets")[2], "longNotional")));
        var stress = await Get(rest, "GET /v1/operator/markets/{symbol}/stressTest", $"/v1/operator/markets/{symbol}/stressTest?markPrice=15000", op);
        Assert.Equal(("0", "60", false), (Text(stress, "fundPays"), Text(stress.GetProperty("insuranceFund"), "balance"), stress.GetProperty("wouldDeleverage").GetBoolean()));
        var silos = (await Get(rest, "GET /v1/operator/cluster", "/v1/operator/cluster", op)).GetProperty("silos").EnumerateArray().ToList();
        Assert.Equal(("Active", true), (Text(silos[0], "status"), silos[0].GetProperty("gateway").GetBoolean()));
        var audit = await Get(rest, "GET /v1/operator/audit", "/v1/operator/audit", op);
        Assert.True(audit.GetProperty("balanced").GetBoolean(), audit.ToString());

        Assert.Equal(RestRoutes.All().Select(r => r.Route).Order(), visited.Order());
    }

    private static (string Wallet, string Field) Reply(JsonElement reply, string positionField) =>
        (Text(reply, "walletBalance"), Text(reply.GetProperty("position"), positionField));

    private static string RequestId() => GatewayFixture.RequestId();

    private void Visit(string route) => Assert.True(visited.Add(route), $"{route} twice");

    private Task<JsonElement> Get(RestCalls rest, string route, string path, string? key = null)
    {
        Visit(route);
        return rest.Get(path, key);
    }

    private Task<JsonElement> Post(RestCalls rest, string route, string path, string json, string? key = null)
    {
        Visit(route);
        return rest.Post(path, json, key);
    }
}
