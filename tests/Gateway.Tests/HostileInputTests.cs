using CsCheck;
using Google.Rpc;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// No input makes any RPC answer UNKNOWN or INTERNAL. A generated corpus of hostile
/// strings (control characters, U+0085, a final newline, exponents, overflow, long runs, unpaired
/// surrogates, path and markup characters) goes into every string field of every RPC, beside enum
/// numbers out of range and the hedge fields; each answer
/// is a precise status whose details carry a reason (google.rpc.ErrorInfo), and the audit still
/// balances after the whole corpus.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HostileInputTests(GatewayFixture gateway)
{
    private static readonly string[] Seeds =
    [
        "", " ", "\n", "1\n", "1\r\n", "\0", "1\0", "abc\n", "\u0085", "1\u0085", "\u2028", "NaN", "Infinity", "-0", "+1", "1e5", "1E-3",
        "0x10", "1,5", "1.", ".5", "--1", "1..2", "99999999999999999999999999999999", "0.0000000000001", "-99999999999999",
        "BTC-USDT\n", "btc-usdt ", "../../etc", "%00", "'; DROP TABLE", "<script>", "\ud800", "😀", "ｂｔｃ", new string('9', 400),
        new string('a', 70), "engine:x", "x:acc", "acc/other", "a#b", "\t1",
    ];

    private static readonly Gen<string> Hostile = Gen.Frequency(
        (3, Gen.OneOfConst(Seeds)),
        (2, Gen.String[Gen.Char[(char)0, (char)0x2030], 0, 24]),
        (1, from seed in Gen.OneOfConst(Seeds) from tail in Gen.String[Gen.Char[(char)0, (char)0x7F], 0, 4] select seed + tail));

    [Fact]
    public async Task NoHostileString_InAnyField_GetsUnknownOrInternal()
    {
        var (app, channel) = await gateway.Gateway(new()
        {
            ["Gateway:RateLimit:PermitsPerSecond"] = "1000000",
            ["Gateway:RateLimit:Burst"] = "1000000",
        });
        await using var _ = app;
        using var __ = channel;
        var (trader, accountId) = await gateway.Trader("1000");
        var (markets, accounts, positions, operations) = (new Api.V1.Markets.MarketsClient(channel), new Api.V1.Accounts.AccountsClient(channel),
            new Api.V1.Positions.PositionsClient(channel), new Api.V1.Operations.OperationsClient(channel));
        var orders = new Api.V1.Orders.OrdersClient(channel);
        var (t, o) = (Bearer(trader), Bearer(gateway.OperatorKey));

        Func<string, Task>[] calls =
        [
            s => markets.GetMarketAsync(new GetMarketRequest { Symbol = s }).ResponseAsync,
            s => positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = s, Side = Side.Long, Quantity = "0.001" }, t).ResponseAsync,
            s => positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = s }, t).ResponseAsync,
            s => positions.OpenPositionAsync(new OpenPositionRequest { RequestId = s, Symbol = Symbol, Side = Side.Long, Quantity = "0.001", LimitPrice = s }, t).ResponseAsync,
            s => positions.OpenPositionAsync(new OpenPositionRequest
            {
                RequestId = RequestId(), Symbol = Symbol, Side = Side.Short, Quantity = "0.001", TakeProfitPrice = s, StopLossPrice = s,
            }, t).ResponseAsync,
            s => positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = Symbol, Quantity = s }, t).ResponseAsync,
            s => positions.AddMarginAsync(new MarginRequest { RequestId = RequestId(), Symbol = s, Amount = s }, t).ResponseAsync,
            s => positions.GetPositionAsync(new GetPositionRequest { Symbol = s, AccountId = s }, t).ResponseAsync,
            s => positions.PreviewPositionAsync(new PreviewPositionRequest { Symbol = Symbol, Side = Side.Long, Quantity = s }, t).ResponseAsync,
            // The hedge fields beside a hostile string: an enum number out of range (4 and 5 are none) and reduce-only either way.
            s => positions.OpenPositionAsync(new OpenPositionRequest
            {
                RequestId = RequestId(), Symbol = Symbol, Side = Side.Short, Quantity = s, PositionSide = (PositionSide)(s.Length % 6), ReduceOnly = s.Length % 2 == 0,
            }, t).ResponseAsync,
            s => positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = Symbol, Quantity = s, PositionSide = (PositionSide)(s.Length % 6) }, t).ResponseAsync,
            s => positions.GetPositionAsync(new GetPositionRequest { Symbol = s, PositionSide = (PositionSide)(s.Length % 6) }, t).ResponseAsync,
            s => accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = s, PositionMode = (PositionMode)(s.Length % 4) }, t).ResponseAsync,
            s => accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { FromTime = s, PageToken = s, PageSize = s.Length * 37 % 700 - 100 }, t).ResponseAsync,
            s => accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { PageToken = s }, t).ResponseAsync,
            s => accounts.WithdrawAsync(new WithdrawRequest { RequestId = s, Amount = s }, t).ResponseAsync,
            s => accounts.SetLeverageAsync(new SetLeverageRequest { RequestId = RequestId(), Symbol = s, Leverage = 5 }, t).ResponseAsync,
            s => operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = s, Amount = "1" }, o).ResponseAsync,
            s => operations.DepositAsync(new DepositRequest { RequestId = s, AccountId = accountId, Amount = s }, o).ResponseAsync,
            s => operations.CreateAccountAsync(new CreateAccountRequest { RequestId = RequestId(), AccountId = s }, o).ResponseAsync,
            s => operations.GetAccountAsync(new OperatorAccountRequest { AccountId = s }, o).ResponseAsync,
            s => operations.PublishPriceAsync(new PublishPriceRequest { Symbol = s, MarkPrice = s, IndexPrice = s }, o).ResponseAsync,
            s => operations.PublishSourcePriceAsync(new PublishSourcePriceRequest { Symbol = Symbol, Source = s, Price = s }, o).ResponseAsync,
            s => operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = s, Symbol = s, Amount = s }, o).ResponseAsync,
            s => operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = s }, o).ResponseAsync,
            // Conditional orders: every string field, enum numbers out of range (types 4 and 5, sides 3 to 5), ids that are none.
            s => orders.PlaceOrderAsync(new PlaceOrderRequest
            {
                RequestId = RequestId(), Symbol = Symbol, Type = (OrderType)(s.Length % 6), Side = (Side)(s.Length % 6), Quantity = s, TriggerPrice = s,
                CallbackRate = s, ActivationPrice = s, GoodTill = s, ClosePosition = s.Length % 3 == 0, ReduceOnly = s.Length % 2 == 0, PositionSide = (PositionSide)(s.Length % 6),
            }, t).ResponseAsync,
            s => orders.PlaceOrderAsync(new PlaceOrderRequest
            {
                RequestId = s, Symbol = s, Type = OrderType.TrailingStopMarket, Side = Side.Short, Quantity = "0.001", CallbackRate = s, ActivationPrice = s,
            }, t).ResponseAsync,
            s => orders.AmendOrderAsync(new AmendOrderRequest
            {
                RequestId = RequestId(), OrderId = s.Length - 2, TriggerPrice = s, Quantity = s, CallbackRate = s, ActivationPrice = s, GoodTill = s,
            }, t).ResponseAsync,
            s => orders.CancelOrderAsync(new CancelOrderRequest { RequestId = s, OrderId = s.Length }, t).ResponseAsync,
        ];

        await Hostile.SampleAsync(async s =>
        {
            foreach (var call in calls)
            {
                try
                {
                    await call(s);
                }
                catch (RpcException e)
                {
                    Assert.False(e.StatusCode is StatusCode.Unknown or StatusCode.Internal, $"'{Escape(s)}' → {e.StatusCode}: {e.Status.Detail}");
                    Assert.NotNull(e.GetRpcStatus()?.GetDetail<ErrorInfo>());
                }
            }
        }, iter: 60, seed: "0N0XIzNsQ0O2");

        await gateway.AssertBalanced();
    }

    /// <summary>
    /// Bytes that are not a valid message of the request's type — field number 0, a body ending inside
    /// a tag or a value, wire type 7, a string that is not UTF-8, a known field sent with another wire
    /// type — go to every method of every service as raw bytes, with the key the method needs. Each is
    /// InvalidArgument naming the field (google.rpc.BadRequest), and nothing changes.
    /// </summary>
    [Fact]
    public async Task EveryMalformedBody_ToEveryRpc_IsInvalidArgument_AndChangesNothing()
    {
        var (trader, accountId) = await gateway.Trader("1000");
        var operations = gateway.Operations;
        async Task<string> State() => string.Join("\n",
            await operations.GetAccountAsync(new OperatorAccountRequest { AccountId = accountId }, Bearer(gateway.OperatorKey)),
            await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = Symbol }),
            await operations.GetInsuranceFundAsync(new GetInsuranceFundRequest(), Bearer(gateway.OperatorKey)),
            await operations.AuditAsync(new AuditRequest(), Bearer(gateway.OperatorKey)));
        var before = await State();
        var invoker = gateway.Channel.CreateCallInvoker();
        var raw = Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes);
        var (sent, wrong) = (0, new List<string>());

        foreach (var service in RestRoutes.Services)
        {
            var headers = service.Name switch { "Operations" => Bearer(gateway.OperatorKey), "Markets" => [], _ => Bearer(trader) };
            foreach (var method in service.Methods)
            {
                foreach (var body in MalformedBodies.For(method.InputType))
                {
                    sent++;
                    // A deadline: a body parsed leniently would open a stream that never ends.
                    var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(10));
                    var call = new Method<byte[], byte[]>(method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary, service.FullName, method.Name, raw, raw);
                    var e = await Record.ExceptionAsync(() => method.IsServerStreaming
                        ? invoker.AsyncServerStreamingCall(call, null, options, body.Bytes).ResponseStream.MoveNext()
                        : invoker.AsyncUnaryCall(call, null, options, body.Bytes).ResponseAsync);
                    var answer = e is RpcException r ? (r.StatusCode, r.Status.Detail, r.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason) : default;
                    if (answer != (StatusCode.InvalidArgument, body.Detail, ErrorDetails.InvalidField))
                    {
                        wrong.Add($"{service.Name}.{method.Name} {body.Name}: {answer} {e?.GetType().Name}");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {sent} malformed bodies answered otherwise:\n{string.Join("\n", wrong)}");
        Assert.Equal(before, await State());
        await gateway.AssertBalanced();
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
