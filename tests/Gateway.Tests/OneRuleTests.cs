using MarginOrleans.Markets;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// One rule for every RPC: a symbol is folded to upper case wherever it is taken, CreateMarket
/// included; a spec field fixed at creation is refused by name, never dropped in silence; the
/// authorization metadata is exactly <c>Bearer </c> and the key.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OneRuleTests(GatewayFixture gateway)
{
    private static Api.V1.MarketSpec Spec(string symbol, bool sharedFund = false, string fee = "0.0005") => new()
    {
        Symbol = symbol, TickSize = "0.01", LotSize = "0.1", TakerFeeRate = fee, SharedInsuranceFund = sharedFund,
        Brackets = { new Api.V1.BracketSpec { NotionalCap = "100000", MaintenanceMarginRate = "0.01", LeverageMax = 50 } },
    };

    private static string NewSymbol() => "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "-USDT";

    [Fact]
    public async Task CreateMarket_FoldsALowercaseSymbol_LikeEveryOtherRpc()
    {
        var symbol = NewSymbol();
        var lower = symbol.ToLowerInvariant();
        var operatorKey = Bearer(gateway.OperatorKey);

        var created = await gateway.Operations.CreateMarketAsync(Spec(lower), operatorKey);
        var updated = await gateway.Operations.UpdateMarketAsync(Spec(lower, fee: "0.0004"), operatorKey);
        var read = await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = lower });

        Assert.Equal((symbol, symbol, "0.0004", symbol), (created.Symbol, updated.Symbol, updated.TakerFeeRate, read.Symbol));
        Assert.Contains(symbol, (await gateway.Markets.ListMarketsAsync(new ListMarketsRequest())).Markets.Select(m => m.Symbol));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task UpdateMarket_ChangingSharedInsuranceFund_IsFailedPrecondition_AndChangesNothing(bool created, bool asked)
    {
        var symbol = NewSymbol();
        var operatorKey = Bearer(gateway.OperatorKey);
        await gateway.Operations.CreateMarketAsync(Spec(symbol, created), operatorKey);

        var refused = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.UpdateMarketAsync(Spec(symbol, asked, "0.0004"), operatorKey).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, $"InsuranceFundFixedAtCreation: shared_insurance_fund is fixed at creation: {symbol} was created with {(created ? "true" : "false")}"),
            (refused.StatusCode, refused.Status.Detail));
        var spec = (await gateway.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Spec;
        Assert.Equal((created, 0.0005m), (spec.SharedInsuranceFund, spec.TakerFeeRate));
    }

    /// <summary>Headers around a valid key ({0}), each but one character away from <c>Bearer {0}</c>.</summary>
    public static TheoryData<string> NotExactlyBearerAndKey =>
        ["Bearer {0} ", " Bearer {0}", "Bearer  {0}", "bearer {0}", "Bearer\t{0}", "Bearer{0}", "Bearer ", "Basic {0}", "Bearer {0}\t"];

    [Theory]
    [MemberData(nameof(NotExactlyBearerAndKey))]
    public async Task AuthorizationOtherThanExactlyBearerAndKey_IsUnauthenticated(string format)
    {
        var (key, _) = await gateway.Trader("10");
        var header = format.Replace("{0}", key, StringComparison.Ordinal);
        var (app, channel) = await gateway.Gateway([], overTcp: true); // sent as written, not re-formatted
        await using var _ = app;
        using var __ = channel;
        var accounts = new Api.V1.Accounts.AccountsClient(channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), new Metadata { { "authorization", header } }).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "authorization: must be exactly `Bearer <api-key>` (one space after Bearer, nothing around the key)", "MalformedAuthorization"),
            (refused.StatusCode, refused.Status.Detail, refused.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason));
        Assert.Equal("10", (await accounts.GetAccountAsync(new GetAccountRequest(), Bearer(key))).WalletBalance);
    }
}
