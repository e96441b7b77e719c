using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Markets;

/// <summary>The index (Binance's rule) is the median of the fresh sources, an outlier beyond 5% dropped.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GuardedMarkTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(new[] { 20_000.0, 20_010.0, 25_000.0 }, 20_005.0)]      // 25,000 is 24.9% off the median 20,010: dropped
    [InlineData(new[] { 20_000.0, 20_010.0, 20_900.0 }, 20_010.0)]      // 4.4% off: kept
    [InlineData(new[] { 19_000.0, 20_000.0, 21_000.0, 30_000.0 }, null)] // only 2 of 4 within 5% of the median: no consensus
    [InlineData(new[] { 60_000.0, 66_000.0 }, null)]                    // two sources 10% apart: which is right is unknown
    [InlineData(new[] { 20_000.0 }, 20_000.0)]
    public void TheIndex_IsTheMedianOfTheSourcesWithin5Percent_WhenAMajorityAgrees(double[] sources, double? index) =>
        Assert.Equal((decimal?)index, GuardedMark.Index([.. sources.Select(s => (decimal)s)]));

    [Fact]
    public void SourcesSilentForTenWindows_AreForgotten_ThoseStaleForLess_AreKeptButNotCounted()
    {
        var start = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
        var sources = new Dictionary<string, SourcePrice>
        {
            ["feed-run-1"] = new(20_000m, start),                          // 101 s silent: over 10 windows of 10 s
            ["feed-run-2"] = new(20_010m, start.AddSeconds(51)),           // 50 s silent: stale, kept
            ["feed-run-3"] = new(20_020m, start.AddSeconds(91)),           // 10 s: fresh
        };

        var fresh = GuardedMark.Fresh(sources, start.AddSeconds(101), TimeSpan.FromSeconds(10));

        Assert.Equal([20_020m], fresh);
        Assert.Equal(["feed-run-2", "feed-run-3"], sources.Keys.Order());
    }

    [Fact]
    public void TheMark_IsTheMedianOfTheCarriedIndex_TheIndexPlusBasis_AndTheLastMark()
    {
        // Carried: 20,005 × (1 + 0.0001 × 0.5) = 20,006.00025; plus basis 3: 20,008; last 20,000 → 20,006.00025, on the tick toward the last: 20,006.
        Assert.Equal(20_006m, GuardedMark.Mark(20_005m, sources: 2, fundingRate: 0.0001m, fundingFraction: 0.5m, averageBasis: 3m, lastMark: 20_000m, tickSize: 0.1m));
        Assert.Equal(20_005m, GuardedMark.Mark(20_005m, sources: 1, fundingRate: 0.0001m, fundingFraction: 0.5m, averageBasis: 3m, lastMark: 20_000m, tickSize: 0.1m));
    }

    [Fact]
    public async Task AnOutlierSource_MovesNeitherIndexNorMark_AndLiquidatesNobody()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var market = fixture.Grains.GetGrain<IMarketGrain>(symbol);
        var account = await trading.Account(10_000m);
        await Trading.Open(account, symbol, PositionSide.Long, 1m, 100); // liquidation price ≈ 19,879.5

        await market.PublishSourcePrice("alpha", 20_000m);
        await market.PublishSourcePrice("beta", 20_010m);
        var outlier = await market.PublishSourcePrice("gamma", 15_000m);  // a broken source, 25% below

        Assert.Equal(0, outlier.Fired);
        var snapshot = (await market.GetSnapshot())!;
        Assert.Equal((20_005m, 20_005m), (snapshot.IndexPrice, snapshot.MarkPrice));
        Assert.NotNull(await account.GetPosition(symbol));
        await trading.AssertConserved();
    }
}
