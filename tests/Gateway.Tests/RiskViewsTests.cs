using System.Globalization;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// The operator's read-only risk views over a market's trigger shards: the liquidation heatmap and
/// the stress test, checked against the positions themselves and against a real move of the mark.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RiskViewsTests(GatewayFixture gateway)
{
    /// <summary>Longs and shorts at several leverages (entry 20,000): liquidation prices spread over both sides of the mark.</summary>
    private static readonly (Side Side, string Quantity, int Leverage)[] Book =
    [
        (Side.Long, "0.5", 20), (Side.Long, "0.2", 20), (Side.Long, "1", 10), (Side.Long, "0.3", 5),
        (Side.Short, "0.5", 20), (Side.Short, "0.4", 10), (Side.Short, "0.1", 10),
    ];

    [Fact]
    public async Task LiquidationHeatmap_SumsEachPositionsNotionalIntoTheBucketOfItsLiquidationPrice()
    {
        var symbol = await NewMarket();
        var positions = await OpenBook(symbol);

        var heatmap = await gateway.Operations.LiquidationHeatmapAsync(
            new LiquidationHeatmapRequest { Symbol = symbol, BucketSize = "500", BucketsEachSide = 8 }, Bearer(gateway.OperatorKey));

        // The mark's bucket [20,000, 20,500) in the middle, eight on each side.
        Assert.Equal((17, "16000", "24500"), (heatmap.Buckets.Count, heatmap.Buckets[0].Low, heatmap.Buckets[^1].High));
        var expected = heatmap.Buckets.Select(b => (
            Long: Notional(positions.Where(p => p.Side == Side.Long && In(p, b))), LongCount: positions.Count(p => p.Side == Side.Long && In(p, b)),
            Short: Notional(positions.Where(p => p.Side == Side.Short && In(p, b))), ShortCount: positions.Count(p => p.Side == Side.Short && In(p, b)))).ToList();
        Assert.Equal(expected, heatmap.Buckets.Select(b => (Parse(b.LongNotional), b.LongCount, Parse(b.ShortNotional), b.ShortCount)).ToList());
        Assert.Equal((4, 3), (heatmap.Buckets.Sum(b => b.LongCount), heatmap.Buckets.Sum(b => b.ShortCount)));
        Assert.Equal(10000m + 4000m + 20000m + 6000m, heatmap.Buckets.Sum(b => Parse(b.LongNotional)));
    }

    [Fact]
    public async Task StressTest_ListsExactlyWhatARealMoveThenLiquidates_AndWhatTheFundPaysAndReceives()
    {
        var symbol = await NewMarket();
        var positions = await OpenBook(symbol);
        await gateway.Operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = RequestId(), Symbol = symbol, Amount = "10000" }, Bearer(gateway.OperatorKey));
        var before = await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = symbol }, Bearer(gateway.OperatorKey));

        // 18,050 lies beyond the 20× longs' bankruptcy (19,000: a deficit) and between the 10× long's
        // liquidation (≈ 18,072) and bankruptcy (18,000: equity left for the fund).
        var stress = await gateway.Operations.StressTestAsync(new StressTestRequest { Symbol = symbol, MarkPrice = "18050" }, Bearer(gateway.OperatorKey));
        var predicted = stress.Positions.Select(p => p.AccountId).Order().ToList();
        Assert.Equal(positions.Where(p => p.Side == Side.Long && p.Leverage >= 10).Select(p => p.AccountId).Order().ToList(), predicted);
        Assert.Equal(("665", "50", false), (stress.FundPays, stress.FundReceives, stress.WouldDeleverage)); // (0.5 + 0.2) × 950; 1 × 50
        Assert.Equal(before.Balance, (await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = symbol }, Bearer(gateway.OperatorKey))).Balance);

        await gateway.Price("18050", symbol);
        var trading = new Trading(gateway.Grains);
        await trading.Settled(async () => (await Open(positions)).Count == positions.Count - predicted.Count, "the crossed positions liquidated");
        await trading.Settled(async () => (await gateway.Operations.AuditAsync(new AuditRequest(), Bearer(gateway.OperatorKey))).InFlight == "0", "fund transfers delivered");

        var liquidated = positions.Select(p => p.AccountId).Except(await Open(positions)).Order().ToList();
        var after = await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = symbol }, Bearer(gateway.OperatorKey));
        Assert.Equal(predicted, liquidated);
        Assert.Equal(Parse(stress.FundPays), Parse(after.Paid) - Parse(before.Paid));
        Assert.Equal(Parse(stress.FundReceives), Parse(after.Received) - Parse(before.Received));
        Assert.Equal("0", after.Owed);
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task StressTest_SaysAutoDeleveragingWouldStart_WhenTheDeficitsExceedTheFund()
    {
        var symbol = await NewMarket();
        await OpenBook(symbol);

        var stress = await gateway.Operations.StressTestAsync(new StressTestRequest { Symbol = symbol, MarkPrice = "17000" }, Bearer(gateway.OperatorKey));

        // Every long but the 5× one (liquidated near 16,064); their fund holds nothing.
        Assert.Equal((3, "0", true), (stress.Positions.Count, stress.InsuranceFund.Balance, stress.WouldDeleverage));
        Assert.Equal(0.5m * 2000m + 0.2m * 2000m + 1m * 1000m, Parse(stress.FundPays));
    }

    [Fact]
    public async Task RiskViews_NeedTheOperatorKey()
    {
        var (traderKey, _) = await gateway.Trader("100");
        var refused = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.StressTestAsync(
            new StressTestRequest { Symbol = Symbol, MarkPrice = "18000" }, Bearer(traderKey)).ResponseAsync);
        var heatmap = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.LiquidationHeatmapAsync(
            new LiquidationHeatmapRequest { Symbol = Symbol }, Bearer(traderKey)).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (refused.StatusCode, heatmap.StatusCode));
    }

    private async Task<string> NewMarket()
    {
        var symbol = "R" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000");
        return symbol;
    }

    private async Task<List<Opened>> OpenBook(string symbol) => [.. await Task.WhenAll(Book.Select(async order =>
    {
        var (key, accountId) = await gateway.Trader("100000");
        var reply = await gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = symbol, Side = order.Side, Quantity = order.Quantity, Leverage = order.Leverage,
        }, Bearer(key));
        return new Opened(key, accountId, symbol, order.Side, order.Leverage, Parse(reply.Position.Quantity), Parse(reply.Position.EntryPrice), Parse(reply.Position.LiquidationPrice));
    }))];

    /// <summary>The accounts among <paramref name="positions"/> that still hold their position.</summary>
    private async Task<List<string>> Open(List<Opened> positions) => [.. (await Task.WhenAll(positions.Select(async p =>
        (await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), Bearer(p.Key))).Positions.Any(x => x.Symbol == p.Symbol) ? p.AccountId : null)))
        .OfType<string>()];

    private static bool In(Opened position, HeatmapBucket bucket) => position.Liquidation >= Parse(bucket.Low) && position.Liquidation < Parse(bucket.High);

    private static decimal Notional(IEnumerable<Opened> positions) => positions.Sum(p => p.Quantity * p.Entry);

    private static decimal Parse(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private sealed record Opened(string Key, string AccountId, string Symbol, Side Side, int Leverage, decimal Quantity, decimal Entry, decimal Liquidation);
}
