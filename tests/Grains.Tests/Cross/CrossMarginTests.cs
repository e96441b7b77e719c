using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Cross;

/// <summary>Cross positions in two symbols on the example bracket table (docs/margin-math.md) (tick 0.1, lot 0.001, fee 0.05%).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossMarginTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task OpenIncreaseReduceClose_InTwoSymbols_SettleToTheWalletExactly()
    {
        var (btc, eth) = (await trading.Market(20_000m), await trading.Market(1_000m));
        var account = await trading.Account(10_000m);
        await Mode(account, btc, MarginMode.Cross);
        await Mode(account, eth, MarginMode.Cross);

        Assert.Equal(9_990m, (await Open(account, btc, PositionSide.Long, 1m, 10)).WalletBalance);        // fee 10
        await trading.Price(btc, 21_000m);
        var increased = await Open(account, btc, PositionSide.Long, 1m, 10);                            // fee 10.5
        Assert.Equal((9_979.5m, 20_500m, MarginMode.Cross, 0m), (increased.WalletBalance, increased.Position!.EntryPrice, increased.Position.Mode, increased.Position.IsolatedMargin));
        Assert.Equal(9_974.5m, (await Open(account, eth, PositionSide.Short, 10m, 10)).WalletBalance);    // fee 5

        // uPnL: BTC 2 × 500 = 1,000. MM: 42,000 × 0.4% + 10,000 × 0.4% = 208. IM at the marks: 4,200 + 1,000.
        var view = (await account.GetAccount())!;
        Assert.Equal((10_974.5m, 208m, 5_774.5m), (view.MarginBalance, view.MaintenanceMargin, view.Available));
        Assert.Equal(0.018953m, view.MarginRatio); // 208 / 10,974.5

        await trading.Price(btc, 22_000m);
        var reduced = await account.ClosePosition(RequestId(), btc, 0.5m);                               // +750 − 5.5
        Assert.Equal((750m, 10_719m, 1.5m), (reduced.RealizedPnl, reduced.WalletBalance, reduced.Position!.Quantity));
        await trading.Price(eth, 900m);
        Assert.Equal(11_714.5m, (await account.ClosePosition(RequestId(), eth, null)).WalletBalance);    // +1,000 − 4.5
        var closed = await account.ClosePosition(RequestId(), btc, null);                               // +2,250 − 16.5
        Assert.Equal(13_948m, closed.WalletBalance);
        Assert.Null(closed.Position);

        Assert.Equal(-3_948m, (await account.GetLedger()).HouseLeg);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task EstimatedLiquidationPrice_IsReferenceB5_WithTheOtherMarksHeld()
    {
        var (btc, eth) = (await trading.Market(20_000m), await trading.Market(1_000m));
        var account = await trading.Account(10_000m);
        await Mode(account, btc, MarginMode.Cross);
        await Mode(account, eth, MarginMode.Cross);
        await Open(account, btc, PositionSide.Long, 1m, 10);
        await Open(account, eth, PositionSide.Short, 10m, 10);

        // Wallet 9,985 after fees. BTC long: WB − TMM1 + UPNL1 = 9,985 − 40 (ETH's MM) + 0 = 9,945;
        // LP = (1 × 20,000 − 9,945 − cum 0) / (1 × (1 − 0.004)) = 10,055 / 0.996 = 10,095.381526104…
        var btcView = (await account.GetPosition(btc))!;
        Assert.Equal(10_095.38152610m, btcView.LiquidationPrice);

        // ETH short: 9,985 − 80 (BTC's MM) + 0 = 9,905; LP = (10 × 1,000 + 9,905) / (10 × 1.004) = 19,905 / 10.04 = 1,982.569721115…
        var ethView = (await account.GetPosition(eth))!;
        Assert.Equal(1_982.56972112m, ethView.LiquidationPrice);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task EthMarkOneTickAboveTheCrossLiquidationPrice_StaysOpen_OneTickBelow_Liquidates_IsolatedUntouched()
    {
        var (btc, eth, other) = (await trading.Market(20_000m), await trading.Market(1_000m), await trading.Market(20_000m));
        var account = await trading.Account(5_510m);
        var isolated = (await Open(account, other, PositionSide.Long, 1m, 10)).Position!;              // 2,010 leaves for isolated
        await Mode(account, btc, MarginMode.Cross);
        await Mode(account, eth, MarginMode.Cross);
        await Open(account, btc, PositionSide.Short, 1m, 10);
        await Open(account, eth, PositionSide.Long, 10m, 10);
        var (btcFund, ethFund) = (await trading.Fund(btc), await trading.Fund(eth));

        // Wallet 3,485. ETH long: 3,485 − 80 (BTC's MM) + 0 = 3,405; LP = (10,000 − 3,405)/(10 × 0.996) = 662.14859…
        Assert.Equal(662.14859438m, (await account.GetPosition(eth))!.LiquidationPrice);

        // At 662.2: equity 3,485 − 3,378 = 107 > MM 80 + 26.488.
        await trading.Price(eth, 662.2m);
        Assert.False(await account.CheckCross());
        Assert.Equal(10m, (await account.GetPosition(eth))!.Quantity);

        // At 662.1: equity 3,485 − 3,379 = 106 ≤ MM 80 + 26.484: the band fires and the account liquidates itself.
        Assert.True((await trading.Price(eth, 662.1m)).Fired >= 1);
        await trading.Settled(async () => (await account.GetAccount())!.Positions.All(p => p.Mode == MarginMode.Isolated), "the cross liquidation");

        var after = (await account.GetAccount())!;
        Assert.Equal(0m, after.WalletBalance);
        Assert.Equal(isolated, Assert.Single(after.Positions));
        // The 106 left goes to the two markets' funds by notional at the marks (BTC 20,000, ETH 6,621):
        // the first symbol's share rounded down, the last symbol's the exact complement.
        var (btcShare, ethShare) = string.CompareOrdinal(btc, eth) < 0 ? (79.63637729m, 26.36362271m) : (79.6363773m, 26.3636227m);
        Assert.Equal((btcFund.Balance + btcShare, ethFund.Balance + ethShare), ((await trading.Fund(btc)).Balance, (await trading.Fund(eth)).Balance));
        var journal = await account.GetJournal(1, 100);
        Assert.Equal(4, journal.Count(e => e.Kind == JournalKind.Liquidation));                        // two closes, then each fund's share
        Assert.Equal(new Dictionary<string, (string, decimal, decimal, decimal)> { [btc] = ("", 0m, 0m, -btcShare), [eth] = ("", 0m, 0m, -ethShare) },
            journal.Where(e => e.Kind == JournalKind.Liquidation && e.Fund is not null).ToDictionary(e => e.Fund!, e => (e.Symbol, e.Quantity, e.Price, e.WalletDelta)));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task WithdrawIsCappedByReferenceB8()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Mode(account, btc, MarginMode.Cross);
        await Open(account, btc, PositionSide.Long, 1m, 10);
        await trading.Price(btc, 19_000m);

        // min(wallet 9,990 − MM 76, margin balance 8,990 − IM 1,900) = 7,090.
        Assert.Equal(7_090m, (await account.GetAccount())!.MaxWithdrawal);
        Assert.Equal(Rejection.InsufficientBalance, (await account.Withdraw(RequestId(), 7_090.01m)).Result.Reason);
        Assert.Equal(2_900m, (await account.Withdraw(RequestId(), 7_090m)).WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task IsolatedTopUps_AreCappedByReferenceB8_WhenTheWalletBacksCrossPositions()
    {
        var (btc, eth) = (await trading.Market(20_000m), await trading.Market(1_000m));
        var account = await trading.Account(10_300m);
        await Open(account, eth, PositionSide.Long, 1m, 10);                    // isolated: 100 + fee 0.5 leave the wallet
        await Mode(account, btc, MarginMode.Cross);
        await Open(account, btc, PositionSide.Long, 1m, 10);
        await trading.Price(btc, 19_000m);

        // Wallet 10,189.5: max addable = min(10,189.5 − MM 76, 9,189.5 − IM 1,900) = 7,289.5.
        Assert.Equal(7_289.5m, (await account.GetAccount())!.MaxWithdrawal);
        Assert.Equal(Rejection.InsufficientBalance, (await account.AddMargin(RequestId(), eth, 7_289.51m)).Result.Reason);
        Assert.Equal(2_900m, (await account.AddMargin(RequestId(), eth, 7_289.5m)).WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task MarginMode_CannotChangeWithAnOpenPosition_AndTheSameModeIsANoOp()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, btc, PositionSide.Long, 1m, 10);

        var refused = await account.SetMarginMode(RequestId(), btc, MarginMode.Cross);
        Assert.Equal(Rejection.MarginModeChangeWithOpenPosition, refused.Result.Reason);
        Assert.Contains("close it before changing the margin mode", refused.Result.Detail);
        Assert.True((await account.SetMarginMode(RequestId(), btc, MarginMode.Isolated)).Result.IsOk);

        await account.ClosePosition(RequestId(), btc, null);
        await Mode(account, btc, MarginMode.Cross);
        await Open(account, btc, PositionSide.Short, 1m, 10);
        Assert.Equal(Rejection.MarginModeChangeWithOpenPosition, (await account.SetMarginMode(RequestId(), btc, MarginMode.Isolated)).Result.Reason);
        Assert.Equal(Rejection.NotIsolated, (await account.AddMargin(RequestId(), btc, 10m)).Result.Reason);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task RiskPolicy_CapsLeverage_LowersAnyTime_RisesOnlyWhenFlat()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        Assert.True((await account.SetRiskPolicy(RequestId(), 10)).Result.IsOk);

        var over = await account.OpenPosition(RequestId(), new OpenOrder(btc, PositionSide.Long, 0.1m, 20, null));
        Assert.Equal(Rejection.LeverageExceedsRiskPolicy, over.Result.Reason);
        Assert.Equal(Rejection.LeverageExceedsRiskPolicy, (await account.SetLeverage(RequestId(), btc, 11)).Result.Reason);
        await Open(account, btc, PositionSide.Long, 0.1m, 10);

        Assert.Equal(Rejection.RiskPolicyRaiseWithOpenPosition, (await account.SetRiskPolicy(RequestId(), 20)).Result.Reason);
        Assert.True((await account.SetRiskPolicy(RequestId(), 5)).Result.IsOk);
        Assert.Equal(Rejection.LeverageExceedsRiskPolicy, (await account.SetLeverage(RequestId(), btc, 10)).Result.Reason);

        await account.ClosePosition(RequestId(), btc, null);
        Assert.True((await account.SetRiskPolicy(RequestId(), 20)).Result.IsOk);
        Assert.Equal(20, (await account.GetAccount())!.LeverageCap);

        // Above every market's highest leverage (125x on these brackets) the cap binds nothing: the reply says so.
        var above = await account.SetRiskPolicy(RequestId(), 200);
        Assert.Equal((true, "no effect above 125x: no market allows more; your cap binds from there down"), (above.Result.IsOk, above.Note));
        Assert.Equal("", (await account.SetRiskPolicy(RequestId(), 100)).Note);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task SetLeverage_OnAnIsolatedPosition_LoweringMovesMarginFromTheWallet_RaisingKeepsIt()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, btc, PositionSide.Long, 1m, 10);

        var lowered = await account.SetLeverage(RequestId(), btc, 5);          // IM at entry 4,000: 2,000 more
        Assert.Equal((5_990m, 4_000m, 5), (lowered.WalletBalance, lowered.Position!.IsolatedMargin, lowered.Position.Leverage));
        var raised = await account.SetLeverage(RequestId(), btc, 20);          // margin stays; 3,000 now removable
        Assert.Equal((5_990m, 4_000m, 3_000m), (raised.WalletBalance, raised.Position!.IsolatedMargin, raised.Position.MaxRemovable));
        var refused = await account.SetLeverage(RequestId(), btc, 1);          // needs 16,000 more
        Assert.Equal(Rejection.InsufficientBalance, refused.Result.Reason);
        Assert.Equal(20, (await account.GetPosition(btc))!.Leverage);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task SetLeverage_OnACrossPosition_IsRefusedWhenAvailableWouldGoNegative()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(2_100m);
        await Mode(account, btc, MarginMode.Cross);
        await Open(account, btc, PositionSide.Long, 1m, 10);                   // available 2,090 − 2,000 = 90

        Assert.Equal(Rejection.InsufficientBalance, (await account.SetLeverage(RequestId(), btc, 9)).Result.Reason); // IM 2,222.22
        Assert.True((await account.SetLeverage(RequestId(), btc, 20)).Result.IsOk);
        Assert.Equal(1_090m, (await account.GetAccount())!.Available);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task CrossOpen_NeedsAvailableForMarginAndFee()
    {
        var btc = await trading.Market(20_000m);
        var account = await trading.Account(2_009.99m);
        await Mode(account, btc, MarginMode.Cross);

        var refused = await account.OpenPosition(RequestId(), new OpenOrder(btc, PositionSide.Long, 1m, 10, null)); // 2,000 + 10
        Assert.Equal(Rejection.InsufficientBalance, refused.Result.Reason);
        Assert.Null(await account.GetPosition(btc));
        await trading.AssertConserved();
    }
}
