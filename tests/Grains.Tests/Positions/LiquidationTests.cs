using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>Liquidation through the trigger index: long 1 @ 20,000, 10x, M 2,000, LP (20,000 − 2,000)/0.996 = 18,072.289…</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiquidationTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task MarkOneTickAboveLiquidationPrice_FiresNothing_OneTickBelow_Liquidates()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        Assert.Equal(0, (await trading.Price(symbol, 18_072.3m)).Fired);
        Assert.NotNull(await account.GetPosition(symbol));

        Assert.Equal(1, (await trading.Price(symbol, 18_072.2m)).Fired);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
    }

    [Fact]
    public async Task Liquidation_LosesExactlyTheMargin_LeavesWalletAndOtherPositionsUntouched()
    {
        var symbol = await trading.Market(20_000m);
        var other = await trading.Market(3_000m);
        var account = await trading.Account(20_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var otherBefore = (await Open(account, other, PositionSide.Short, 2m, 5)).Position!;
        var walletBefore = (await account.GetAccount())!.WalletBalance;
        var fundBefore = await trading.Fund(symbol);

        await trading.Price(symbol, 18_000.1m);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");

        // Equity at 18,000.1 = 2,000 − 1,999.9 = 0.1 goes to the fund; the house books the loss 1,999.9.
        Assert.Equal(walletBefore, (await account.GetAccount())!.WalletBalance);
        Assert.Equal(otherBefore, await account.GetPosition(other));
        Assert.Equal(fundBefore.Balance + 0.1m, (await trading.Fund(symbol)).Balance);
        var ledger = await account.GetLedger();
        Assert.Equal(otherBefore.IsolatedMargin, ledger.IsolatedMargin);
        await trading.AssertConserved();

        var journal = await account.GetJournal(1, 100);
        var liquidation = Assert.Single(journal, e => e.Kind == JournalKind.Liquidation);
        Assert.Equal((symbol, 1m, 18_000.1m, -2_000m), (liquidation.Symbol, liquidation.Quantity, liquidation.Price, liquidation.RealizedPnl));
    }

    [Fact]
    public async Task GapPastBankruptcy_TheFundPaysTheDeficit()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 1_500m)).IsOk);
        var fundBefore = await trading.Fund(symbol);

        // The mark gaps from 20,000 to 17,000, past bankruptcy (18,000): equity −1,000, within what the fund holds.
        await trading.Price(symbol, 17_000m);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");

        var fund = await trading.Fund(symbol);
        Assert.Equal(fundBefore.Balance - 1_000m, fund.Balance);
        Assert.Equal(fundBefore.Paid + 1_000m, fund.Paid);
        Assert.Equal(7_990m, (await account.GetAccount())!.WalletBalance);
        Assert.Equal(3_010m, (await account.GetLedger()).HouseLeg); // loss 3,000 + fee 10
        await trading.AssertConserved();
    }

    [Fact]
    public async Task Short_IsLiquidatedWhenTheMarkRisesThroughItsPrice()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var opened = await Open(account, symbol, PositionSide.Short, 1m, 10);
        Assert.Equal(21_912.35059761m, opened.Position!.LiquidationPrice); // 22,000 / 1.004

        Assert.Equal(0, (await trading.Price(symbol, 21_912.3m)).Fired);
        Assert.Equal(1, (await trading.Price(symbol, 21_912.4m)).Fired);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AddedMargin_MovesTheTrigger_SoTheOldPriceNoLongerLiquidates()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        await account.AddMargin(RequestId(), symbol, 1_000m); // LP (20,000 − 3,000)/0.996 = 17,068.27

        Assert.Equal(0, (await trading.Price(symbol, 18_000m)).Fired);
        Assert.Equal(0, (await trading.Price(symbol, 17_068.3m)).Fired);
        Assert.Equal(1, (await trading.Price(symbol, 17_068.2m)).Fired);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
        await trading.AssertConserved();
    }

    [Fact]
    public async Task RaisingTheMaintenanceRate_MovesRegisteredTriggers_SoNoLiquidationIsLate()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        // Bracket 1 from 0.4% to 0.45%: LP (20,000 − 2,000) / 0.9955 = 18,081.37 instead of 18,072.29.
        var spec = (await trading.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Spec;
        var raised = spec with { Brackets = [new BracketSpec(50_000m, 0.0045m, 125), .. spec.Brackets.Skip(1)] };
        Assert.True((await trading.Grains.GetGrain<IMarketGrain>(symbol).Update(raised)).IsOk);
        Assert.Equal(18_081.36614766m, (await account.GetPosition(symbol))!.LiquidationPrice);

        // 18,075 lies between the old price and the new: whichever of the re-registration and the tick comes first, it liquidates.
        await trading.Price(symbol, 18_075m);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation under the new brackets");
        await trading.AssertConserved();
    }

    [Fact]
    public async Task ACommandAtALiquidatableMark_LiquidatesInsteadOfApplying()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        // Move the mark past the price without the trigger running first: the position grain is the truth.
        await trading.Price(symbol, 18_000m);
        var added = await account.AddMargin(RequestId(), symbol, 100m);
        Assert.True(added.Result.Reason is Rejection.PositionLiquidated or Rejection.NoOpenPosition, added.Result.Detail);
        Assert.Equal(7_990m, added.WalletBalance);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
        await trading.AssertConserved();
    }
}
