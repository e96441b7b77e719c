using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>The BitMEX/Bybit ranking and the size of an auto-deleveraging close (docs/margin-math.md, Auto-deleveraging).</summary>
public sealed class DeleveragingTests
{
    [Fact]
    public void Score_OfALongInProfit_IsPnlPercentTimesEffectiveLeverage()
    {
        // Long 1 BTC, entry 20,000, mark 22,000, bankruptcy 18,000: PnL% 10%, effective leverage 5.5.
        Assert.Equal(0.55m, Deleveraging.Score(1, 20_000m, 18_000m, 22_000m));
    }

    [Fact]
    public void Score_OfAShort_AndALossDividesByLeverage()
    {
        // Short, entry 20,000, mark 18,000, bankruptcy 22,000: PnL% 10%, effective leverage 18,000 / 4,000 = 4.5.
        Assert.Equal(0.45m, Deleveraging.Score(-1, 20_000m, 22_000m, 18_000m));
        // Long at a loss: PnL% −5% at mark 19,000, effective leverage 19,000 / 1,000 = 19.
        Assert.Equal(-0.05m / 19m, Deleveraging.Score(1, 20_000m, 18_000m, 19_000m));
    }

    [Theory]
    [InlineData(0.3, 0, 3, 1)]
    [InlineData(0.3, 1, 3, 2)]
    [InlineData(0.3, 2, 3, 4)]
    [InlineData(0.3, 4, 5, 5)]
    [InlineData(-0.1, 4, 5, 1)]
    public void Quantile_IsTheFifthOfTheSide(decimal score, int below, int count, int expected) =>
        Assert.Equal(expected, Deleveraging.Quantile(score, below, count));

    [Theory]
    // needed 700, deficit 1,000 a unit, profit 3,000 a unit: 0.7 closes, 700 given.
    [InlineData(1.0, 3000, 700, 1000, 0.7, 700)]
    // only 0.5 held: all of it, 500 given.
    [InlineData(0.5, 3000, 700, 1000, 0.5, 500)]
    // profit 400 a unit caps what a unit gives: 700 / 400 = 1.75 units needed, 1 held: 400 given.
    [InlineData(1.0, 400, 700, 1000, 1.0, 400)]
    // rounding up to the lot: 0.0005 of a unit needed closes one lot of 0.001 and gives only what is needed.
    [InlineData(1.0, 3000, 0.5, 1000, 0.001, 0.5)]
    // not in profit: nothing.
    [InlineData(1.0, 0, 700, 1000, 0, 0)]
    public void Take_ClosesTheFewestLots_AndNeverMoreThanTheProfit(decimal held, decimal profitPerUnit, decimal needed, decimal perUnit, decimal quantity, decimal given) =>
        Assert.Equal((quantity, given), Deleveraging.Take(held, profitPerUnit, needed, perUnit, 0.001m));
}
