using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>Through the gateway: take-profit / stop-loss on a position, and a market's funding figures.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TradingToolsTests(GatewayFixture gateway)
{
    [Fact]
    public async Task OrdersSetWithTheOpen_ShowOnThePosition_AndTheTakeProfitClosesItAtTheMark()
    {
        var symbol = "P" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000");
        var (key, _) = await gateway.Trader("10000");
        var auth = Bearer(key);

        var opened = await gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = symbol, Side = Side.Long, Quantity = "1", Leverage = 10, TakeProfitPrice = "21000", StopLossPrice = "19000",
        }, auth);
        Assert.Equal(("21000", "19000", ""), (opened.Position.TakeProfitPrice, opened.Position.StopLossPrice, opened.Note));

        // Liquidation price 18,072.29: a stop below it is accepted, with a note.
        var lowered = await gateway.Positions.SetTakeProfitStopLossAsync(new SetTakeProfitStopLossRequest
        {
            RequestId = RequestId(), Symbol = symbol, TakeProfitPrice = "21000", StopLossPrice = "18000",
        }, auth);
        Assert.Equal("the stop-loss 18000 lies past the liquidation price 18072.28915663: liquidation comes first", lowered.Note);

        await gateway.Price("21000", symbol);
        await new Trading(gateway.Grains).Settled(async () => (await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), auth)).Positions.All(p => p.Symbol != symbol),
            "the take-profit");
        var journal = await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), auth);
        var close = Assert.Single(journal.Entries, e => e.Kind == "TakeProfit");
        Assert.Equal(("21000", "1000", "10.5", "10979.5"), (close.Price, close.RealizedPnl, close.Fee, close.WalletBalance));
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task TheOperator_TopsAFundUp_AndMovesBetweenFunds_ThroughTheGateway()
    {
        var other = "F" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(other, "1000");
        var op = Bearer(gateway.OperatorKey);
        var before = await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = other }, op);

        var topped = await gateway.Operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = RequestId(), Symbol = other, Amount = "250" }, op);
        Assert.Equal((other, decimal.Parse(before.Balance) + 250m), (topped.Symbol, decimal.Parse(topped.Balance)));
        var moved = await gateway.Operations.MoveInsuranceFundAsync(new MoveInsuranceFundRequest { RequestId = RequestId(), FromSymbol = other, ToSymbol = Symbol, Amount = "100" }, op);
        Assert.Equal(decimal.Parse(topped.Balance) - 100m, decimal.Parse(moved.From.Balance));

        var refused = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.MoveInsuranceFundAsync(
            new MoveInsuranceFundRequest { RequestId = RequestId(), FromSymbol = other, ToSymbol = Symbol, Amount = "1000000" }, op).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, $"InsufficientBalance: fund {other} holds {moved.From.Balance}; cannot move 1000000"), (refused.StatusCode, refused.Status.Detail));
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task UnknownSymbols_AreRefusedNamingTheMarkets_WithoutActivatingAMarketGrain()
    {
        var management = gateway.Grains.GetGrain<IManagementGrain>(0);
        async Task<int> Markets() => (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("MarketGrain", StringComparison.Ordinal) && !s.GrainType.Contains("Directory", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
        var before = await Markets();

        for (var i = 0; i < 50; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = $"NOPE{i}-USDT" }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.StartsWith($"SymbolUnknown: unknown symbol NOPE{i}-USDT; markets: ", error.Status.Detail);
            Assert.Contains(Symbol, error.Status.Detail);
        }

        Assert.Equal(before, await Markets());
    }

    [Fact]
    public async Task AMarketShowsItsFundingEstimate_AndTheNextFundingTime_WhateverTheCaseOfItsSymbol()
    {
        var market = await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = Symbol.ToLowerInvariant() });
        Assert.Equal(Symbol, market.Symbol);

        // Index equal to the mark: no premium, so the rate is the interest rate, 0.01% per 8 h.
        Assert.Equal("0.0001", market.FundingRateEstimate);
        var next = DateTimeOffset.Parse(market.NextFundingTime, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, next.TimeOfDay.Ticks % TimeSpan.FromHours(8).Ticks);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(8));
    }
}
