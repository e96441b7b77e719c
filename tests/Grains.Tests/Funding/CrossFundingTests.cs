using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Funding;

/// <summary>
/// A cross account holding two symbols pays both symbols' funding from its one wallet. Markets here
/// pay every minute of <see cref="TestClock"/>, at F = 0.01% when mark and index agree.
/// </summary>
[Collection(FundingCollection.Name)]
public sealed class CrossFundingTests(FundingCluster cluster)
{
    private readonly Trading trading = new(cluster.Grains);

    /// <summary>Each symbol's funding time settles the account at once: its journal shows the payment with nobody touching it.</summary>
    [Fact]
    public async Task ATwoSymbolCrossAccount_SettlesEachSymbolsFunding_AtItsFundingTime_WithoutATouch()
    {
        var (first, second) = await Markets();
        var account = await trading.Account(10_000m);
        foreach (var symbol in new[] { first, second })
        {
            await Mode(account, symbol, MarginMode.Cross);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
        }

        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        await cluster.Price(first, 20_000m, 20_000m);
        await trading.Settled(async () => (await FundingRows(account)).Length == 1, "the first symbol's funding in the journal");
        await cluster.Price(second, 20_000m, 20_000m);
        await trading.Settled(async () => (await FundingRows(account)).Length == 2, "the second symbol's funding in the journal");

        Assert.Equal([(first, -2m), (second, -2m)], await FundingRows(account));
        Assert.Equal(10_000m - 20m - 4m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    /// <summary>
    /// Wallet 4,070 after fees (long 2 of the first at 20,000, 20x; long 1 of the second, 10x; both in
    /// the first bracket, so nothing steps down). At 18,078.3 the margin balance is 4,070 − 3,843.4 =
    /// 226.6 against Σ MM = 144.6264 + 80 = 224.6264: 1.9736 above maintenance. The next funding time
    /// takes 2 × 18,078.3 × 0.01% = 3.61566 from the wallet — below maintenance with no mark moving:
    /// the tick that pays it liquidates the account.
    /// </summary>
    [Fact]
    public async Task AFundingPaymentThatCrossesATwoSymbolAccountsMaintenance_LiquidatesItOnTheTickThatPaysIt()
    {
        var (first, second) = await Markets();
        var account = await trading.Account(4_100m);
        await Mode(account, first, MarginMode.Cross);
        await Mode(account, second, MarginMode.Cross);
        await Open(account, first, PositionSide.Long, 2m, 20);
        await Open(account, second, PositionSide.Long, 1m, 10);

        cluster.Clock.Advance(TimeSpan.FromSeconds(20));
        await cluster.Price(first, 18_078.3m, 18_078.3m);
        var view = (await account.GetAccount())!;
        Assert.Equal((226.6m, 224.6264m), (view.MarginBalance, view.MaintenanceMargin));

        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        Assert.True((await cluster.Price(first, 18_078.3m, 18_078.3m)).Fired >= 1);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Count(e => e.Kind == JournalKind.Liquidation) == 4, "the cross liquidation");

        var journal = await account.GetJournal(1, 100);
        var funding = Assert.Single(journal, e => e.Kind == JournalKind.Funding);
        Assert.Equal((first, -3.61566m), (funding.Symbol, funding.RealizedPnl));
        Assert.True(funding.Sequence < journal.First(e => e.Kind == JournalKind.Liquidation).Sequence);
        Assert.Empty((await account.GetAccount())!.Positions);
        await trading.AssertConservedOnceSettled();
    }

    /// <summary>Two markets, both past the same funding time (the second's creation moved the clock to it).</summary>
    private async Task<(string First, string Second)> Markets()
    {
        var (first, second) = (await cluster.Market(20_000m, 20_000m), await cluster.Market(20_000m, 20_000m));
        await cluster.Price(first, 20_000m, 20_000m);
        return (first, second);
    }

    private static async Task<(string Symbol, decimal Paid)[]> FundingRows(IAccountGrain account) =>
        [.. (await account.GetJournal(1, 100)).Where(e => e.Kind == JournalKind.Funding).Select(e => (e.Symbol, e.RealizedPnl))];
}
