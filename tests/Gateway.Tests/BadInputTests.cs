using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Every bad input — malformed, negative, zero, overflowing, off the lot or tick, unknown symbol,
/// leverage out of range, oversize, beyond the balance, another account's position, no
/// credentials — gets a precise status and message and changes nothing: the
/// trader's account, the insurance fund and the audit totals are the same after as before.
/// The trader holds a long of 1 @ 20,000 at 10x (max removable 0) and 7,990 in the wallet.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BadInputTests(GatewayFixture gateway) : IAsyncLifetime
{
    private string key = "";
    private string accountId = "";
    private string otherAccountId = "";

    public static TheoryData<string> Cases => [.. BadInputs.Keys];

    private static readonly Dictionary<string, (StatusCode Code, string Message, Func<GatewayFixture, BadInputTests, Task> Call)> BadInputs = new()
    {
        ["negative quantity"] = (StatusCode.InvalidArgument, "QuantityNotPositive", (g, t) => t.Open("-1")),
        ["zero quantity"] = (StatusCode.InvalidArgument, "QuantityNotPositive", (g, t) => t.Open("0")),
        ["quantity not a number"] = (StatusCode.InvalidArgument, "quantity: 'abc' is not a decimal number", (g, t) => t.Open("abc")),
        ["quantity NaN"] = (StatusCode.InvalidArgument, "quantity: 'NaN' is not a decimal number", (g, t) => t.Open("NaN")),
        ["quantity with exponent"] = (StatusCode.InvalidArgument, "quantity: '1e3' is not a decimal number", (g, t) => t.Open("1e3")),
        ["quantity overflow"] = (StatusCode.InvalidArgument, "is not a decimal number", (g, t) => t.Open("99999999999999999999999999999999")),
        ["quantity off the lot"] = (StatusCode.InvalidArgument, "QuantityNotMultipleOfLot: quantity 0.0005 must be a multiple of the lot size 0.001", (g, t) => t.Open("0.0005")),
        ["limit price off the tick"] = (StatusCode.InvalidArgument, "PriceNotMultipleOfTick", (g, t) => t.Open("0.1", limitPrice: "20000.05")),
        ["unknown symbol"] = (StatusCode.NotFound, "SymbolUnknown: unknown symbol DOGE-USDT", (g, t) => t.Open("1", symbol: "DOGE-USDT")),
        ["negative leverage"] = (StatusCode.InvalidArgument, "LeverageOutOfRange: leverage -5 must be from 1 to 125", (g, t) => t.Open("0.1", leverage: -5)),
        ["leverage above the market's max"] = (StatusCode.InvalidArgument, "LeverageOutOfRange: leverage 126", (g, t) => t.Open("0.1", leverage: 126)),
        ["leverage above the bracket's max"] = (StatusCode.InvalidArgument, "LeverageExceedsBracketMax: leverage 125x exceeds 100x", (g, t) => t.Open("3", leverage: 125)),
        ["oversize notional"] = (StatusCode.InvalidArgument, "NotionalExceedsLastBracket", (g, t) => t.Open("30000", leverage: 1)),
        ["insufficient balance"] = (StatusCode.FailedPrecondition, "InsufficientBalance", (g, t) => t.Open("4")),
        ["limit price not met"] = (StatusCode.FailedPrecondition, "LimitPriceNotMet", (g, t) => t.Open("0.1", limitPrice: "19000")),
        ["leverage differs from the open position"] = (StatusCode.FailedPrecondition, "LeverageDiffersFromPosition", (g, t) => t.Open("0.1", leverage: 20)),
        ["side unspecified"] = (StatusCode.InvalidArgument, "side: must be SIDE_LONG or SIDE_SHORT", (g, t) => t.Open("0.1", side: Side.Unspecified)),
        ["missing request id"] = (StatusCode.InvalidArgument, "request_id: is required", (g, t) => t.Open("0.1", requestId: "")),
        ["withdraw beyond the wallet"] = (StatusCode.FailedPrecondition, "InsufficientBalance: amount 7990.01 exceeds the max withdrawal 7990", (g, t) => t.Withdraw("7990.01")),
        ["withdraw negative"] = (StatusCode.InvalidArgument, "AmountNotPositive", (g, t) => t.Withdraw("-5")),
        ["withdraw finer than settlement precision"] = (StatusCode.InvalidArgument, "AmountTooPrecise", (g, t) => t.Withdraw("0.000000001")),
        ["remove margin beyond max removable"] = (StatusCode.FailedPrecondition, "ExceedsMaxRemovable: amount 0.01 exceeds the max removable 0", (g, t) => t.Margin(remove: true, "0.01")),
        ["add margin beyond the wallet"] = (StatusCode.FailedPrecondition, "InsufficientBalance", (g, t) => t.Margin(remove: false, "8000")),
        ["close more than the position"] = (StatusCode.InvalidArgument, "CloseExceedsPosition: quantity 2 exceeds the position's 1", (g, t) => t.Close("2")),
        ["another account's position"] = (StatusCode.PermissionDenied, "the key does not speak for account", (g, t) =>
            g.Positions.GetPositionAsync(new GetPositionRequest { Symbol = Symbol, AccountId = t.otherAccountId }, Bearer(t.key)).ResponseAsync),
        ["no credentials"] = (StatusCode.Unauthenticated, "missing `authorization: Bearer <api-key>` metadata", (g, t) =>
            g.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "1" }).ResponseAsync),
        ["unknown API key"] = (StatusCode.Unauthenticated, "unknown API key", (g, t) =>
            g.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "1" }, Bearer("mk_not-a-key")).ResponseAsync),
        ["trader calls the operator API"] = (StatusCode.PermissionDenied, "needs the operator's API key", (g, t) =>
            g.Operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = t.accountId, Amount = "1000" }, Bearer(t.key)).ResponseAsync),
        ["operator calls the trader API"] = (StatusCode.PermissionDenied, "needs a trader's API key", (g, t) =>
            g.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "1" }, Bearer(g.OperatorKey)).ResponseAsync),
        ["deposit to an unknown account"] = (StatusCode.NotFound, "AccountUnknown", (g, t) =>
            g.Operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = "acc-nobody", Amount = "1000" }, Bearer(g.OperatorKey)).ResponseAsync),
        ["mark price off the tick"] = (StatusCode.InvalidArgument, "PriceNotMultipleOfTick: mark_price 20000.05", (g, t) =>
            g.Operations.PublishPriceAsync(new PublishPriceRequest { Symbol = Symbol, MarkPrice = "20000.05" }, Bearer(g.OperatorKey)).ResponseAsync),
        ["market with falling maintenance rates"] = (StatusCode.InvalidArgument, "MarketSpecInvalid: bracket 2", (g, t) =>
            g.Operations.CreateMarketAsync(new Api.V1.MarketSpec
            {
                Symbol = "BAD-USDT", TickSize = "0.1", LotSize = "0.1", TakerFeeRate = "0.0005",
                Brackets = { new BracketSpec { NotionalCap = "1000", MaintenanceMarginRate = "0.01", LeverageMax = 50 }, new BracketSpec { NotionalCap = "5000", MaintenanceMarginRate = "0.005", LeverageMax = 20 } },
            }, Bearer(g.OperatorKey)).ResponseAsync),
        ["lower leverage beyond what the wallet covers"] = (StatusCode.FailedPrecondition, "InsufficientBalance: 1x needs 18000 more margin; available 7990", (g, t) =>
            g.Accounts.SetLeverageAsync(new SetLeverageRequest { RequestId = RequestId(), Symbol = Symbol, Leverage = 1 }, Bearer(t.key)).ResponseAsync),
        ["margin mode unspecified"] = (StatusCode.InvalidArgument, "margin_mode: must be MARGIN_MODE_ISOLATED or MARGIN_MODE_CROSS", (g, t) =>
            g.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = Symbol }, Bearer(t.key)).ResponseAsync),
        ["margin mode change with an open position"] = (StatusCode.FailedPrecondition, "MarginModeChangeWithOpenPosition: BTC-USDT has an open isolated position", (g, t) =>
            g.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = Symbol, MarginMode = MarginMode.Cross }, Bearer(t.key)).ResponseAsync),
        ["take-profit the mark already crosses"] = (StatusCode.FailedPrecondition, "TriggerWouldFireNow: a long's take-profit must lie above the mark 20000; 19000 would fire at once", (g, t) =>
            t.Orders(takeProfit: "19000", stopLoss: "")),
        ["stop-loss off the tick"] = (StatusCode.InvalidArgument, "PriceNotMultipleOfTick: stop_loss_price 18000.05", (g, t) => t.Orders(takeProfit: "", stopLoss: "18000.05")),
        ["stop-loss not a number"] = (StatusCode.InvalidArgument, "stop_loss_price: 'low' is not a decimal number", (g, t) => t.Orders(takeProfit: "", stopLoss: "low")),
        ["request id reserved for the engine"] = (StatusCode.InvalidArgument, "request_id: ids starting with 'engine:' are the engine's own", (g, t) =>
            t.Open("0.1", requestId: "engine:TakeProfit:BTC-USDT:1")),
        ["funding history of an unknown symbol"] = (StatusCode.NotFound, "SymbolUnknown: unknown symbol DOGE-USDT", (g, t) =>
            g.Markets.GetFundingHistoryAsync(new GetMarketRequest { Symbol = "DOGE-USDT" }).ResponseAsync),
        ["market with a funding interval over a day"] = (StatusCode.InvalidArgument, "MarketSpecInvalid: funding interval 86401 s must be 1 s to 24 h", (g, t) =>
            g.Operations.CreateMarketAsync(new Api.V1.MarketSpec
            {
                Symbol = "BAD-USDT", TickSize = "0.1", LotSize = "0.1", TakerFeeRate = "0.0005", FundingIntervalSeconds = 86_401,
                Brackets = { new BracketSpec { NotionalCap = "1000", MaintenanceMarginRate = "0.01", LeverageMax = 50 } },
            }, Bearer(g.OperatorKey)).ResponseAsync),
        ["quantity with a trailing newline"] = (StatusCode.InvalidArgument, "quantity: '1\n' is not a decimal number", (g, t) => t.Open("1\n")),
        ["request id with a NUL"] = (StatusCode.InvalidArgument, "request_id: is required: 1 to 64 printable ASCII", (g, t) => t.Open("0.1", requestId: "a\0b")),
        ["request id with a line feed"] = (StatusCode.InvalidArgument, "request_id: is required: 1 to 64 printable ASCII", (g, t) => t.Open("0.1", requestId: "a\nb")),
        ["request id with U+0085"] = (StatusCode.InvalidArgument, "request_id: is required: 1 to 64 printable ASCII", (g, t) => t.Open("0.1", requestId: "a\u0085b")),
        ["symbol of a blank"] = (StatusCode.InvalidArgument, "symbol: is required: 3 to 20 letters, digits or '-'", (g, t) => t.Open("0.1", symbol: " ")),
        ["account id with a trailing newline"] = (StatusCode.InvalidArgument, "account_id: must be 1 to 40 letters", (g, t) =>
            g.Operations.CreateAccountAsync(new CreateAccountRequest { RequestId = RequestId(), AccountId = "abc\n" }, Bearer(g.OperatorKey)).ResponseAsync),
        ["market with a negative staleness window"] = (StatusCode.InvalidArgument, "MarketSpecInvalid: staleness window -1 s must be 0 (never stale) to 24 h", (g, t) =>
            g.Operations.CreateMarketAsync(new Api.V1.MarketSpec
            {
                Symbol = "BAD-USDT", TickSize = "0.1", LotSize = "0.1", TakerFeeRate = "0.0005", StaleAfterSeconds = -1,
                Brackets = { new BracketSpec { NotionalCap = "1000", MaintenanceMarginRate = "0.01", LeverageMax = 50 } },
            }, Bearer(g.OperatorKey)).ResponseAsync),
        ["position side out of range"] = (StatusCode.InvalidArgument, "position_side: must be POSITION_SIDE_BOTH, POSITION_SIDE_LONG or POSITION_SIDE_SHORT", (g, t) =>
            t.Open("0.1", positionSide: (PositionSide)9)),
        ["position side out of range on a close"] = (StatusCode.InvalidArgument, "position_side: must be POSITION_SIDE_BOTH, POSITION_SIDE_LONG or POSITION_SIDE_SHORT", (g, t) =>
            g.Positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = Symbol, PositionSide = (PositionSide)(-1) }, Bearer(t.key)).ResponseAsync),
        ["LONG leg in one-way mode"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in one-way mode: position side LONG is for hedge mode; use BOTH", (g, t) =>
            t.Open("0.1", positionSide: PositionSide.Long)),
        ["SHORT leg of a close in one-way mode"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in one-way mode: position side SHORT is for hedge mode; use BOTH", (g, t) =>
            g.Positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = Symbol, PositionSide = PositionSide.Short }, Bearer(t.key)).ResponseAsync),
        ["reduce-only on the side of the position"] = (StatusCode.FailedPrecondition, "ReduceOnlyWouldIncrease: an order that only reduces cannot add to the long position on BTC-USDT", (g, t) =>
            t.Open("0.1", reduceOnly: true)),
        ["position mode unspecified"] = (StatusCode.InvalidArgument, "position_mode: must be POSITION_MODE_ONE_WAY or POSITION_MODE_HEDGE", (g, t) =>
            g.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId() }, Bearer(t.key)).ResponseAsync),
        ["position mode out of range"] = (StatusCode.InvalidArgument, "position_mode: must be POSITION_MODE_ONE_WAY or POSITION_MODE_HEDGE", (g, t) =>
            g.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = (PositionMode)3 }, Bearer(t.key)).ResponseAsync),
        ["position mode change with an open position"] = (StatusCode.FailedPrecondition, "PositionModeChangeWithOpenPosition: the position mode can change to hedge only with no open position and no order waiting; open: BTC-USDT", (g, t) =>
            g.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = PositionMode.Hedge }, Bearer(t.key)).ResponseAsync),
        ["risk policy out of range"] = (StatusCode.InvalidArgument, "LeverageOutOfRange: leverage max 1001", (g, t) =>
            g.Accounts.SetRiskPolicyAsync(new SetRiskPolicyRequest { RequestId = RequestId(), MaxLeverage = 1001 }, Bearer(t.key)).ResponseAsync),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsAPreciseStatus_AndChangesNothing(string name)
    {
        var (code, message, call) = BadInputs[name];
        var accountBefore = await Account();
        var auditBefore = await gateway.AssertBalanced();

        var error = await Assert.ThrowsAsync<RpcException>(() => call(gateway, this));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
        Assert.Equal(accountBefore, await Account());
        Assert.Equal(auditBefore, await gateway.AssertBalanced());
    }

    public async Task InitializeAsync()
    {
        await gateway.Price("20000");
        (key, accountId) = await gateway.Trader("10000");
        (_, otherAccountId) = await gateway.Trader("10");
        await Open("1");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Account> Account() => gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(key)).ResponseAsync;

    private Task Open(string quantity, string symbol = Symbol, int leverage = 10, string limitPrice = "", Side side = Side.Long, string? requestId = null,
        PositionSide positionSide = PositionSide.Unspecified, bool reduceOnly = false) =>
        gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = requestId ?? RequestId(), Symbol = symbol, Side = side, Quantity = quantity, Leverage = leverage, LimitPrice = limitPrice,
            PositionSide = positionSide, ReduceOnly = reduceOnly,
        }, Bearer(key)).ResponseAsync;

    private Task Orders(string takeProfit, string stopLoss) =>
        gateway.Positions.SetTakeProfitStopLossAsync(new SetTakeProfitStopLossRequest
        {
            RequestId = RequestId(), Symbol = Symbol, TakeProfitPrice = takeProfit, StopLossPrice = stopLoss,
        }, Bearer(key)).ResponseAsync;

    private Task Withdraw(string amount) =>
        gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = amount }, Bearer(key)).ResponseAsync;

    private Task Margin(bool remove, string amount)
    {
        var request = new MarginRequest { RequestId = RequestId(), Symbol = Symbol, Amount = amount };
        return remove ? gateway.Positions.RemoveMarginAsync(request, Bearer(key)).ResponseAsync : gateway.Positions.AddMarginAsync(request, Bearer(key)).ResponseAsync;
    }

    private Task Close(string quantity) =>
        gateway.Positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = Symbol, Quantity = quantity }, Bearer(key)).ResponseAsync;
}
