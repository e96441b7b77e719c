using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// A gap larger than the fund. Long 1 @ 20,000, 10x (margin 2,000, bankruptcy 18,000)
/// gaps to 17,000: deficit 1,000, 1,000 a unit. The fund holds 300 and owes the other 700, which
/// auto-deleveraging collects from the best-ranked shorts at 18,000.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoDeleveragingTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task GapLargerThanTheFund_DeleveragesExactlyTheTopRankedShorts_FundEndsAtZero()
    {
        var symbol = await trading.Market(20_000m);
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 300m)).IsOk);
        var bankrupt = await trading.Account(10_000m);
        await Open(bankrupt, symbol, PositionSide.Long, 1m, 10);

        // At 17,000 every short made 15%; effective leverage 17,000 / (bankruptcy − 17,000) ranks them:
        // 20x (bankruptcy 21,000): 0.6375, 10x (22,000): 0.51, 5x (24,000): 0.364.
        var first = await trading.Account(10_000m);
        var second = await trading.Account(10_000m);
        var third = await trading.Account(10_000m);
        await Open(first, symbol, PositionSide.Short, 0.5m, 20);
        await Open(second, symbol, PositionSide.Short, 0.5m, 10);
        var thirdBefore = (await Open(third, symbol, PositionSide.Short, 0.5m, 5)).Position!;
        var sameSide = await trading.Account(10_000m);
        var sameSideBefore = (await Open(sameSide, symbol, PositionSide.Long, 0.1m, 2)).Position!;
        var flat = await trading.Account(1_000m);

        await trading.Price(symbol, 17_000m);
        await Covered(symbol, 1_000m);

        var fund = await trading.Fund(symbol);
        Assert.Equal((0m, 0m, 700m), (fund.Balance, fund.Owed, fund.Deleveraged));

        // The first short closes all 0.5 at 18,000 and gives 500: margin 500 + PnL 1,500 − 500 back to the wallet.
        var adl = Assert.Single(await first.GetJournal(1, 100), e => e.Kind == JournalKind.AutoDeleveraged);
        Assert.Equal((symbol, 0.5m, 18_000m, 1_000m, 1_500m), (adl.Symbol, adl.Quantity, adl.Price, adl.RealizedPnl, adl.WalletDelta));
        Assert.Null(await first.GetPosition(symbol));
        Assert.Equal(10_000m - 5m + 1_000m, (await first.GetAccount())!.WalletBalance);

        // The second gives the remaining 200 with 0.2 of its 0.5 and keeps the rest.
        var partial = Assert.Single(await second.GetJournal(1, 100), e => e.Kind == JournalKind.AutoDeleveraged);
        Assert.Equal((0.2m, 18_000m, 400m), (partial.Quantity, partial.Price, partial.RealizedPnl));
        Assert.Equal(0.3m, (await second.GetPosition(symbol))!.Quantity);

        // The third (lowest ranked), the bankrupt one's own side and an account with no position are never touched.
        Assert.Equal(thirdBefore.Quantity, (await third.GetPosition(symbol))!.Quantity);
        Assert.Equal(sameSideBefore.Quantity, (await sameSide.GetPosition(symbol))!.Quantity);
        foreach (var untouched in new[] { third, sameSide, flat })
        {
            Assert.DoesNotContain(await untouched.GetJournal(1, 100), e => e.Kind == JournalKind.AutoDeleveraged);
        }

        Assert.Equal(1_000m, (await flat.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task ACrossShort_IsDeleveragedFromItsWallet()
    {
        var symbol = await trading.Market(20_000m);
        var bankrupt = await trading.Account(10_000m);
        await Open(bankrupt, symbol, PositionSide.Long, 1m, 10);
        var cross = await trading.Account(5_000m);
        await Mode(cross, symbol, MarginMode.Cross);
        await Open(cross, symbol, PositionSide.Short, 1m, 10);

        // The fund is empty: all 1,000 comes from the cross short, 1 unit at 18,000 (PnL 3,000 − 1,000).
        await trading.Price(symbol, 17_000m);
        await Covered(symbol, 1_000m);

        Assert.Equal((0m, 1_000m), ((await trading.Fund(symbol)).Balance, (await trading.Fund(symbol)).Deleveraged));
        var adl = Assert.Single(await cross.GetJournal(1, 100), e => e.Kind == JournalKind.AutoDeleveraged);
        Assert.Equal((1m, 18_000m, 2_000m, 2_000m), (adl.Quantity, adl.Price, adl.RealizedPnl, adl.WalletDelta));
        Assert.Equal(5_000m - 10m + 2_000m, (await cross.GetAccount())!.WalletBalance);
        Assert.Null(await cross.GetPosition(symbol));
        await trading.AssertConserved();
    }

    /// <summary>Waits for the liquidation's deficit to reach the fund and for auto-deleveraging to cover what it could not pay.</summary>
    private Task Covered(string symbol, decimal deficit) => trading.Settled(async () =>
        await trading.Fund(symbol) is { Owed: 0m } fund && fund.Paid >= deficit, "auto-deleveraging to cover the fund");

    [Fact]
    public async Task TheAdlIndicator_RanksTheSideInFifths()
    {
        var symbol = await trading.Market(20_000m, shards: 1);
        var (high, middle, low) = (await trading.Account(10_000m), await trading.Account(10_000m), await trading.Account(10_000m));
        await Open(high, symbol, PositionSide.Short, 0.5m, 20);
        await Open(middle, symbol, PositionSide.Short, 0.5m, 10);
        await Open(low, symbol, PositionSide.Short, 0.5m, 5);
        Assert.Equal(1, await high.GetDeleverageQuantile(symbol)); // nobody is in profit yet

        await trading.Price(symbol, 19_000m);

        Assert.Equal((4, 2, 1), (await high.GetDeleverageQuantile(symbol), await middle.GetDeleverageQuantile(symbol), await low.GetDeleverageQuantile(symbol)));
    }
}
