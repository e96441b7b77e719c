using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>Cross margin through the gateway: mode, risk policy, the account's cross figures, and a band-driven liquidation.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CrossMarginTests(GatewayFixture gateway)
{
    [Fact]
    public async Task OpenIncreaseReduceClose_InTwoSymbols_SettleToTheWalletExactly()
    {
        var eth = "E" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(eth, "1000");
        await gateway.Price("20000");
        var (key, _) = await gateway.Trader("10000");
        var auth = Bearer(key);
        foreach (var symbol in new[] { Symbol, eth })
        {
            await gateway.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = symbol, MarginMode = MarginMode.Cross }, auth);
        }

        Task<CommandReply> Open(string symbol, Side side, string quantity) => gateway.Positions.OpenPositionAsync(
            new OpenPositionRequest { RequestId = RequestId(), Symbol = symbol, Side = side, Quantity = quantity, Leverage = 10 }, auth).ResponseAsync;
        Task<CommandReply> Close(string symbol, string quantity) => gateway.Positions.ClosePositionAsync(
            new ClosePositionRequest { RequestId = RequestId(), Symbol = symbol, Quantity = quantity }, auth).ResponseAsync;

        Assert.Equal("9990", (await Open(Symbol, Side.Long, "1")).WalletBalance);       // fee 10
        await gateway.Price("21000");
        var increased = await Open(Symbol, Side.Long, "1");                              // fee 10.5, entry 20,500
        Assert.Equal(("9979.5", "20500"), (increased.WalletBalance, increased.Position.EntryPrice));
        Assert.Equal("9974.5", (await Open(eth, Side.Short, "10")).WalletBalance);       // fee 5
        await gateway.Price("22000");
        Assert.Equal("10719", (await Close(Symbol, "0.5")).WalletBalance);              // +750 − 5.5
        await gateway.Price("900", eth);
        Assert.Equal("11714.5", (await Close(eth, "")).WalletBalance);                  // +1,000 − 4.5
        var closed = await Close(Symbol, "");                                            // +2,250 − 16.5
        Assert.Equal("13948", closed.WalletBalance);
        Assert.Null(closed.Position);
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task CrossPosition_ShowsMarginBalanceAndRatio_AndIsLiquidatedThroughItsBand()
    {
        await gateway.Price("20000");
        var (key, _) = await gateway.Trader("2500");
        var auth = Bearer(key);
        await gateway.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = Symbol, MarginMode = MarginMode.Cross }, auth);
        await gateway.Accounts.SetRiskPolicyAsync(new SetRiskPolicyRequest { RequestId = RequestId(), MaxLeverage = 10 }, auth);

        var over = await Assert.ThrowsAsync<RpcException>(() => gateway.Positions.OpenPositionAsync(
            new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "1", Leverage = 20 }, auth).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "LeverageExceedsRiskPolicy: leverage 20x exceeds your risk policy's cap of 10x"), (over.StatusCode, over.Status.Detail));

        var opened = await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, auth);
        Assert.Equal((MarginMode.Cross, "0", "2490"), (opened.Position.MarginMode, opened.Position.IsolatedMargin, opened.WalletBalance));

        // Mark 19,000: margin balance 2,490 − 1,000 = 1,490; MM 76; ratio 76 / 1,490; available 1,490 − 1,900.
        await gateway.Price("19000");
        var account = await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), auth);
        Assert.Equal(("1490", "76", "0.051007", "-410", 10), (account.MarginBalance, account.MaintenanceMargin, account.MarginRatio, account.Available, account.LeverageCap));
        Assert.Equal(MarginMode.Cross, account.MarginModes[Symbol]);

        // Liquidation at (20,000 − 2,490)/0.996 = 17,580.32…: one tick above stays, one below goes.
        Assert.Equal("17580.32128514", account.Positions.Single().LiquidationPrice);
        await gateway.Price("17580.4");
        Assert.Single((await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), auth)).Positions);
        await gateway.Price("17580.3");
        await new Trading(gateway.Grains).Quiet(); // the cross liquidation the tick woke has landed

        var after = await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), auth);
        Assert.Empty(after.Positions);
        Assert.Equal("0", after.WalletBalance);

        // The settings and the fund's share each in their own field: 2,490 − 2,419.7 lost at 17,580.3 leaves 70.3 for the market's fund.
        var journal = (await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), auth)).Entries;
        var policy = Assert.Single(journal, e => e.Kind == "RiskPolicySet");
        Assert.Equal(("", "0", 10), (policy.Symbol, policy.Quantity, policy.LeverageCap));
        var transfer = Assert.Single(journal, e => e.Fund != "");
        Assert.Equal(("Liquidation", "", "0", "-70.3", Symbol), (transfer.Kind, transfer.Symbol, transfer.Quantity, transfer.WalletDelta, transfer.Fund));
        await gateway.AssertBalanced();
    }
}
