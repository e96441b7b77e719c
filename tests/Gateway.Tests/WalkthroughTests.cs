using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The README's walkthrough through the real gateway: deposit, preview, open, adjust, watch, liquidate.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WalkthroughTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Trader_PreviewsOpensAdjustsAndIsLiquidated_LosingExactlyTheMargin()
    {
        await gateway.Price("20000");
        var (key, accountId) = await gateway.Trader("10000");
        var auth = Bearer(key);

        var preview = await gateway.Positions.PreviewPositionAsync(new PreviewPositionRequest { Symbol = Symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, auth);
        Assert.Equal(("2000", "80", "10", "18072.28915663", "18000"), (preview.InitialMargin, preview.MaintenanceMargin, preview.Fee, preview.LiquidationPrice, preview.BankruptcyPrice));

        var opened = await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, auth);
        Assert.Equal("7990", opened.WalletBalance);
        Assert.Equal(preview.LiquidationPrice, opened.Position.LiquidationPrice);

        var added = await gateway.Positions.AddMarginAsync(new MarginRequest { RequestId = RequestId(), Symbol = Symbol, Amount = "500" }, auth);
        Assert.Equal(("7490", "2500", "17570.2811245"), (added.WalletBalance, added.Position.IsolatedMargin, added.Position.LiquidationPrice));
        var removed = await gateway.Positions.RemoveMarginAsync(new MarginRequest { RequestId = RequestId(), Symbol = Symbol, Amount = "500" }, auth);
        Assert.Equal("7990", removed.WalletBalance);

        var account = await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), auth);
        Assert.Equal((accountId, "7990", "2000", "9990"), (account.AccountId, account.WalletBalance, account.IsolatedMargin, account.Equity));

        var fundBefore = await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = Symbol }, Bearer(gateway.OperatorKey));
        var fired = await gateway.Operations.PublishPriceAsync(new PublishPriceRequest { Symbol = Symbol, MarkPrice = "18050" }, Bearer(gateway.OperatorKey));
        Assert.Equal(1, fired.Fired);
        await new Trading(gateway.Grains).Settled(async () => (await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), auth)).Positions.Count == 0, "position liquidated");

        // Equity at 18,050 = 2,000 − 1,950 = 50 goes to the market's own fund; the wallet is untouched.
        var fundAfter = await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = Symbol }, Bearer(gateway.OperatorKey));
        Assert.Equal(decimal.Parse(fundBefore.Balance) + 50m, decimal.Parse(fundAfter.Balance));
        Assert.Equal("7990", (await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), auth)).WalletBalance);

        var journal = await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), auth);
        Assert.Equal(["Deposit", "PositionOpened", "MarginAdded", "MarginRemoved", "Liquidation"], journal.Entries.Select(e => e.Kind));
        Assert.Equal("-2000", journal.Entries[^1].RealizedPnl);
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task RepeatedRequestId_ReturnsTheFirstReply_AndChangesNothing()
    {
        await gateway.Price("20000");
        var (key, _) = await gateway.Trader("10000");
        var request = new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Short, Quantity = "0.5", Leverage = 20 };

        var first = await gateway.Positions.OpenPositionAsync(request, Bearer(key));
        var second = await gateway.Positions.OpenPositionAsync(request, Bearer(key));

        Assert.Equal(first, second);
        var position = await gateway.Positions.GetPositionAsync(new GetPositionRequest { Symbol = Symbol }, Bearer(key));
        Assert.Equal("0.5", position.Quantity);
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task StreamMarks_SendsTheCurrentMarkAndEachChange()
    {
        await gateway.Price("20000");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = gateway.Markets.StreamMarks(new StreamMarksRequest { Symbols = { Symbol } }, cancellationToken: cancel.Token);

        Assert.True(await stream.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal("20000", stream.ResponseStream.Current.MarkPrice);
        await gateway.Price("20100.5");
        Assert.True(await stream.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal("20100.5", stream.ResponseStream.Current.MarkPrice);
    }

    [Fact]
    public async Task ListMarkets_ShowsTheBracketsWithDerivedMaintenanceAmounts()
    {
        var markets = await gateway.Markets.ListMarketsAsync(new ListMarketsRequest());
        var market = Assert.Single(markets.Markets, m => m.Symbol == Symbol);
        Assert.Equal(125, market.LeverageMax);
        Assert.Equal(["0", "50", "1300", "16300"], market.Brackets.Take(4).Select(b => b.MaintenanceAmount));
        Assert.Equal("250000", market.Brackets[2].NotionalFloor);
    }
}
