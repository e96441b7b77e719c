using System.Net;
using System.Text.Json;
using static MarginOrleans.Gateway.Tests.RestCalls;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Bad REST input gets a precise 4xx whose body is the JSON of google.rpc.Status — the gRPC code,
/// the ErrorInfo reason and the BadRequest field the gRPC door gives — and changes nothing: the
/// trader's account and journal read the same after as before. The trader holds a long of 1 @
/// 20,000 at 10x and 7,990 in the wallet.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RestBadInputTests(GatewayFixture gateway) : IAsyncLifetime
{
    private const string Open = "/v1/positions:open";
    private string key = "";

    public static TheoryData<string> Cases => [.. BadInputs.Keys];

    private static string Order(string rest = "") =>
        $$"""{"requestId":"{{GatewayFixture.RequestId()}}","symbol":"BTC-USDT","side":"SIDE_LONG","quantity":"0.1"{{rest}}}""";

    private static readonly Dictionary<string, (HttpStatusCode Http, int Code, string Reason, string Field, string Message, Func<RestCalls, string, Task<(HttpStatusCode, JsonElement)>> Call)> BadInputs = new()
    {
        ["bad JSON"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "request", "request: is not valid JSON: ",
            (r, k) => r.Send(HttpMethod.Post, Open, """{"requestId":"a","symbol":"BTC-USDT",""", k)),
        ["a number where a decimal string goes"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "quantity", "quantity: must be a JSON string, not the number 0.1",
            (r, k) => r.Send(HttpMethod.Post, Open, $$"""{"requestId":"{{GatewayFixture.RequestId()}}","symbol":"BTC-USDT","side":"SIDE_LONG","quantity":0.1}""", k)),
        ["a string where an integer goes"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "leverage", "leverage: must be an integer (Int32; a JSON number or a string of digits), not the string \"ten\"",
            (r, k) => r.Send(HttpMethod.Post, Open, Order(""","leverage":"ten" """), k)),
        ["an unknown side"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "side", "side: must be one of SIDE_UNSPECIFIED, SIDE_LONG, SIDE_SHORT, not the string \"LONG\"",
            (r, k) => r.Send(HttpMethod.Post, Open, $$"""{"requestId":"{{GatewayFixture.RequestId()}}","symbol":"BTC-USDT","side":"LONG","quantity":"0.1"}""", k)),
        ["a missing field"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "quantity", "quantity: is required",
            (r, k) => r.Send(HttpMethod.Post, Open, $$"""{"requestId":"{{GatewayFixture.RequestId()}}","symbol":"BTC-USDT","side":"SIDE_LONG"}""", k)),
        ["an unknown field"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "qty", "qty: is not a field of margin.v1.OpenPositionRequest: it has requestId, symbol, side, quantity, leverage, limitPrice, takeProfitPrice, stopLossPrice",
            (r, k) => r.Send(HttpMethod.Post, Open, Order(""","qty":"5" """), k)),
        ["a field twice under its two names"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "request_id", "request_id: is given more than once",
            (r, k) => r.Send(HttpMethod.Post, Open, Order(""","request_id":"another" """), k)),
        ["a body that is not an object"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "request", "request: must be a JSON object (a OpenPositionRequest), not an array",
            (r, k) => r.Send(HttpMethod.Post, Open, "[1]", k)),
        ["a huge body"] = (HttpStatusCode.RequestEntityTooLarge, 8, "RequestTooLarge", "", "request: the body is larger than 65536 bytes",
            (r, k) => r.Send(HttpMethod.Post, Open, Order($$""","limitPrice":"{{new string('1', 70_000)}}" """), k)),
        ["a body that is not JSON"] = (HttpStatusCode.UnsupportedMediaType, 3, "InvalidField", "Content-Type", "Content-Type: must be application/json, not 'text/plain; charset=utf-8'",
            (r, k) => r.Send(HttpMethod.Post, Open, Order(), k, contentType: "text/plain; charset=utf-8")),
        ["the path's symbol in the body"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "symbol", "symbol: is given by the path; leave it out of the body",
            (r, k) => r.Send(HttpMethod.Post, "/v1/positions/BTC-USDT:close", $$"""{"requestId":"{{GatewayFixture.RequestId()}}","symbol":"ETH-USDT"}""", k)),
        ["an unknown query parameter"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "since", "since: is not a query parameter of this route: it has from, limit",
            (r, k) => r.Send(HttpMethod.Get, "/v1/accounts/me/journal?since=3", key: k)),
        ["a query value of the wrong type"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "from_sequence", "from_sequence: 'yesterday' is not an integer (Int64; a JSON number or a string of digits)",
            (r, k) => r.Send(HttpMethod.Get, "/v1/accounts/me/journal?from=yesterday", key: k)),
        ["an Idempotency-Key that differs from the body's request id"] = (HttpStatusCode.BadRequest, 3, "InvalidField", "Idempotency-Key", "Idempotency-Key: 'other' differs from the body's request_id 'mine': send one, or both the same",
            (r, k) => r.Send(HttpMethod.Post, Open, """{"requestId":"mine","symbol":"BTC-USDT","side":"SIDE_LONG","quantity":"0.1"}""", k, [("Idempotency-Key", "other")])),
        ["a quantity off the lot"] = (HttpStatusCode.BadRequest, 3, "QuantityNotMultipleOfLot", "", "QuantityNotMultipleOfLot: quantity 0.0005 must be a multiple of the lot size 0.001",
            (r, k) => r.Send(HttpMethod.Post, Open, Order().Replace("\"0.1\"", "\"0.0005\"", StringComparison.Ordinal), k)),
        ["beyond the balance"] = (HttpStatusCode.BadRequest, 9, "InsufficientBalance", "", "InsufficientBalance",
            (r, k) => r.Send(HttpMethod.Post, Open, Order().Replace("\"0.1\"", "\"4\"", StringComparison.Ordinal), k)),
        ["an unknown symbol"] = (HttpStatusCode.NotFound, 5, "SymbolUnknown", "", "SymbolUnknown: unknown symbol DOGE-USDT",
            (r, k) => r.Send(HttpMethod.Get, "/v1/positions/DOGE-USDT", key: k)),
        ["no credentials"] = (HttpStatusCode.Unauthorized, 16, "MissingApiKey", "", "missing `authorization: Bearer <api-key>` metadata",
            (r, k) => r.Send(HttpMethod.Post, Open, Order())),
        ["a trader calls the operator's API"] = (HttpStatusCode.Forbidden, 7, "OperatorKeyRequired", "", "this call needs the operator's API key",
            (r, k) => r.Send(HttpMethod.Get, "/v1/operator/audit", key: k)),
    };

    public async Task InitializeAsync()
    {
        await gateway.Price("20000");
        (key, _) = await gateway.Trader("10000");
        await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = GatewayFixture.RequestId(), Symbol = GatewayFixture.Symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, GatewayFixture.Bearer(key));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsItsStatusAsJson_AndChangesNothing(string name)
    {
        var rest = new RestCalls(gateway.Http());
        var (http, code, reason, field, message, call) = BadInputs[name];
        var before = await Snapshot(rest);

        var (status, json) = await call(rest, key);

        Assert.Equal(http, status);
        Assert.Equal((code, reason, field), Status(json));
        Assert.Contains(message, json.GetProperty("message").GetString());
        Assert.Equal(before, await Snapshot(rest));
    }

    [Fact]
    public async Task IdempotencyKey_IsTheRequestId_SoARepeatOpensOnce()
    {
        var rest = new RestCalls(gateway.Http());
        var idempotencyKey = GatewayFixture.RequestId();
        var body = """{"symbol":"BTC-USDT","side":"SIDE_LONG","quantity":"0.1"}""";

        var first = await rest.Send(HttpMethod.Post, Open, body, key, [("Idempotency-Key", idempotencyKey)]);
        var again = await rest.Send(HttpMethod.Post, Open, body, key, [("Idempotency-Key", idempotencyKey)]);
        var same = await rest.Send(HttpMethod.Post, Open, $$"""{"requestId":"{{idempotencyKey}}","symbol":"BTC-USDT","side":"SIDE_LONG","quantity":"0.1"}""", key, [("Idempotency-Key", idempotencyKey)]);

        Assert.Equal((HttpStatusCode.OK, "1.1"), (first.Status, Text(first.Json.GetProperty("position"), "quantity")));
        Assert.Equal(first.Json.ToString(), again.Json.ToString());
        Assert.Equal(first.Json.ToString(), same.Json.ToString());
        var journal = await rest.Get("/v1/accounts/me/journal", key);
        Assert.Single(journal.GetProperty("entries").EnumerateArray(), e => Text(e, "requestId") == idempotencyKey);
    }

    /// <summary>The account and its journal as the trader reads them.</summary>
    private async Task<string> Snapshot(RestCalls rest) =>
        (await rest.Get("/v1/accounts/me", key)).ToString() + (await rest.Get("/v1/accounts/me/journal", key)).ToString();
}
