using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Funding;

/// <summary>
/// Funding paid at each funding time by every position open then, settled lazily
/// through the market's cumulative index, never making a liquidation late. Markets here pay every
/// minute of <see cref="TestClock"/>; positions are 1 BTC at 20,000, 10x (fee 10 to open).
/// </summary>
[Collection(FundingCollection.Name)]
public sealed class FundingTests(FundingCluster cluster)
{
    private readonly Trading trading = new(cluster.Grains);

    /// <summary>
    /// Interval 1: premium (20,000 − 19,980) / 19,980 = 0.1001%, so F = P − 0.05% = 0.0501% (to 8 places):
    /// 10.02 per BTC at mark 20,000. Interval 2: no premium, F = I = 0.01%: 2 per BTC. Longs pay, shorts receive.
    /// </summary>
    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task ALongPays_AndAShortReceives_ExactlyOverTwoIntervals(MarginMode mode)
    {
        var symbol = await cluster.Market(index: 19_980m, mark: 20_000m);
        var (longer, shorter) = (await trading.Account(10_000m), await trading.Account(10_000m));
        foreach (var (account, side) in new[] { (longer, PositionSide.Long), (shorter, PositionSide.Short) })
        {
            await Mode(account, symbol, mode);
            await Open(account, symbol, side, 1m, 10);
        }

        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        await cluster.Price(symbol, 20_000m, 20_000m);
        await trading.AssertConserved(); // the audit settles what is owed before it counts
        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        await cluster.Price(symbol, 20_000m, 20_000m);
        await trading.AssertConserved();

        await trading.Settled(async () => (await FundingRows(longer)).Length == 2 && (await FundingRows(shorter)).Length == 2, "both Funding rows of each");
        var history = await cluster.Grains.GetGrain<IMarketGrain>(symbol).GetFundingHistory();
        Assert.Equal([(0.000501m, 20_000m, 10.02m), (0.0001m, 20_000m, 12.02m)], history.Select(e => (e.Rate, e.MarkPrice, e.Cumulative)));
        Assert.Equal([-10.02m, -2m], await FundingRows(longer));
        Assert.Equal([10.02m, 2m], await FundingRows(shorter));
        if (mode == MarginMode.Isolated)
        {
            Assert.Equal((1_987.98m, 7_990m), ((await longer.GetPosition(symbol))!.IsolatedMargin, (await longer.GetAccount())!.WalletBalance));
            Assert.Equal(2_012.02m, (await shorter.GetPosition(symbol))!.IsolatedMargin);
        }
        else
        {
            Assert.Equal(9_977.98m, (await longer.GetAccount())!.WalletBalance);
            Assert.Equal(10_002.02m, (await shorter.GetAccount())!.WalletBalance);
        }

        var market = await cluster.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot();
        Assert.Equal((0.0001m, cluster.Clock.GetUtcNow() + FundingCluster.Interval), (market!.Funding.EstimatedRate, market.Funding.Next));
    }

    /// <summary>
    /// Long 1 BTC at 20,000, 125x: margin 160, liquidation price (20,000 − 160) / 0.996 = 19,919.68.
    /// A mark of 19,920.5 leaves it open; the funding time that follows (F = 0.01%) takes 1.99205
    /// from its margin, which puts the liquidation price at 19,921.68 — above the mark. Nobody
    /// touches the position: the next tick must liquidate it, through the index's funding shift.
    /// </summary>
    [Fact]
    public async Task AFundingPaymentAlone_GetsAnIsolatedPositionLiquidated_AtTheNextTick()
    {
        var symbol = await cluster.Market(index: 20_000m, mark: 20_000m);
        var account = await trading.Account(10_000m);
        var opened = await Open(account, symbol, PositionSide.Long, 1m, 125);
        Assert.Equal(19_919.67871486m, opened.Position!.LiquidationPrice);

        cluster.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await cluster.Price(symbol, 19_920.5m, 19_920.5m)).Fired);
        var fundBefore = await trading.Fund(symbol);

        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        Assert.Equal(1, (await cluster.Price(symbol, 19_920.5m, 19_920.5m)).Fired);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation");

        var journal = await account.GetJournal(1, 100);
        Assert.Equal(-1.99205m, Assert.Single(journal, e => e.Kind == JournalKind.Funding).RealizedPnl);
        Assert.Equal(-158.00795m, Assert.Single(journal, e => e.Kind == JournalKind.Liquidation).RealizedPnl);
        await trading.AssertConservedOnceSettled();
        Assert.Equal(fundBefore.Balance + 78.50795m, (await trading.Fund(symbol)).Balance); // equity 158.00795 − 79.5
    }

    /// <summary>Cross funding owed is paid before any figure drawn from the wallet: a withdrawal cannot take it first.</summary>
    [Fact]
    public async Task ACrossWithdrawal_CountsTheFundingOwed_BeforeItLeaves()
    {
        var symbol = await cluster.Market(index: 19_980m, mark: 20_000m);
        var account = await trading.Account(10_000m);
        await Mode(account, symbol, MarginMode.Cross);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var before = (await account.GetAccount())!.MaxWithdrawal;

        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        await cluster.Price(symbol, 20_000m, 20_000m); // the long owes 10.02; nobody has touched the account

        var tooMuch = await account.Withdraw(RequestId(), before);
        Assert.Equal(Rejection.InsufficientBalance, tooMuch.Result.Reason);
        Assert.True((await account.Withdraw(RequestId(), before - 10.02m)).Result.IsOk);
        Assert.Equal([-10.02m], await FundingRows(account));
        await trading.AssertConserved();
    }

    /// <summary>No price for longer than the window — no new risk; reducing and margin still work.</summary>
    [Fact]
    public async Task AStaleMark_RefusesNewRisk_ButNotClosesOrMargin_UntilAPriceArrives()
    {
        var symbol = Trading.NewSymbol();
        var spec = new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, MarginOrleans.Silo.DefaultMarkets.Brackets, StaleAfterSeconds: 30);
        Assert.True((await cluster.Grains.GetGrain<IMarketGrain>(symbol).Create(spec)).IsOk);
        await cluster.Price(symbol, 20_000m, 20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        cluster.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True((await cluster.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Stale);
        var adding = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.5m, 10, null));
        Assert.Equal(Rejection.MarkPriceStale, adding.Result.Reason);
        Assert.StartsWith("mark price is stale: the last, 20000 at ", adding.Result.Detail);
        var flipping = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Short, 2m, 10, null));
        Assert.Equal(Rejection.MarkPriceStale, flipping.Result.Reason);
        Assert.True((await account.AddMargin(RequestId(), symbol, 100m)).Result.IsOk);
        Assert.True((await account.ClosePosition(RequestId(), symbol, 0.5m)).Result.IsOk);

        await cluster.Price(symbol, 20_000m, 20_000m);
        Assert.False((await cluster.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Stale);
        Assert.True((await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.5m, 10, null))).Result.IsOk);
        await trading.AssertConserved();
    }

    private static async Task<decimal[]> FundingRows(IAccountGrain account) =>
        [.. (await account.GetJournal(1, 100)).Where(e => e.Kind == JournalKind.Funding).Select(e => e.RealizedPnl)];
}
