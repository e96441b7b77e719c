using MarginOrleans.Risk;
using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Risk;

[Collection(ClusterCollection.Name)]
public sealed class PositionFiguresTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Theory]
    [InlineData(1_000, 1, 20_000, 10, 50)]      // 1,000 on 2,000 of margin
    [InlineData(-333.33, 3, 1_000, 20, -222.22)] // on 150
    [InlineData(0, 0, 0, 10, 0)]
    public void Roe_IsUnrealizedPnlOverTheMarginOpenedWith(decimal upnl, decimal quantity, decimal entry, int leverage, decimal percent) =>
        Assert.Equal(percent, PositionFigures.RoePercent(upnl, quantity, entry, leverage));

    [Theory]
    [InlineData(10, 21_000, 19_979_000)]   // the 20,000,000 bracket allows 10x
    [InlineData(100, 21_000, 229_000)]     // only the first two brackets allow 100x
    [InlineData(125, 60_000, 0)]           // already past the 50,000 the first bracket allows at 125x
    public void MaxOpenable_IsTheCapTheLeverageAllows_LessTheNotionalHeld(int leverage, decimal notional, decimal openable)
    {
        var brackets = RiskBrackets.Create(DefaultMarkets.Brackets.Select(b => (b.NotionalCap, b.MaintenanceMarginRate, b.LeverageMax)), out _)!;
        Assert.Equal(openable, PositionFigures.MaxOpenableNotional(brackets, leverage, notional));
    }

    [Fact]
    public async Task APositionShows_ItsRoe_MarginRatio_AndWhatItMayStillOpen_IsolatedAndCross()
    {
        var (isolated, cross) = (await trading.Market(20_000m), await trading.Market(20_000m));
        var account = await trading.Account(10_000m);
        await Mode(account, cross, MarginMode.Cross);
        await Open(account, isolated, PositionSide.Long, 1m, 10);
        await Open(account, cross, PositionSide.Short, 1m, 10);
        await trading.Price(isolated, 21_000m);
        await trading.Price(cross, 21_000m);

        // Isolated: uPnL 1,000 on 2,000 opened with; MM 21,000 × 0.4% = 84 over equity 3,000.
        var i = (await account.GetPosition(isolated))!;
        Assert.Equal((50m, 0.028m, 19_979_000m), (i.RoePercent, i.MarginRatio, i.MaxOpenableNotional));

        // Cross: −1,000 on 2,000; the account's MM 84 over its margin balance (wallet 10,000 − 2,000 − 20 of fees − 1,000).
        var c = (await account.GetPosition(cross))!;
        Assert.Equal((-50m, Math.Round(84m / 6_980m, 6), 19_979_000m), (c.RoePercent, c.MarginRatio, c.MaxOpenableNotional));
    }
}
