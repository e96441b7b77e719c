using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

public sealed class IsolatedMathTests
{
    [Fact]
    public void BinanceIsolated_OneBtcAt20000_10x_LiquidatesAt18072_29_AndIsBankruptAt18000()
    {
        // isolatedWB 2,000, bracket 1 (0.4%, cum 0): long (20,000 − 2,000)/(1 × 0.996); short (20,000 + 2,000)/(1 × 1.004).
        var margin = IsolatedMath.InitialMargin(1m, 20_000m, 10);
        Assert.Equal(2_000m, margin);
        Assert.Equal(18_072.29m, Math.Round(IsolatedMath.LiquidationPrice(1, 1m, 20_000m, margin, Tables.Example)!.Value, 2));
        Assert.Equal(18_000m, IsolatedMath.BankruptcyPrice(1, 1m, 20_000m, margin));
        Assert.Equal(21_912.35m, Math.Round(IsolatedMath.LiquidationPrice(-1, 1m, 20_000m, margin, Tables.Example)!.Value, 2));
        Assert.Equal(22_000m, IsolatedMath.BankruptcyPrice(-1, 1m, 20_000m, margin));
    }

    [Fact]
    public void BybitConvention_MaintenanceAtEntry_GivesLiquidationPrice19700()
    {
        // Bybit evaluates MM at entry: LP = EP − (IM − MM)/Q = 20,000 − (400 − 100)/1 = 19,700.
        var im = IsolatedMath.InitialMargin(1m, 20_000m, 50);
        var mmAtEntry = Tables.Flat(0.005m).MaintenanceMargin(1m * 20_000m);
        Assert.Equal(400m, im);
        Assert.Equal(100m, mmAtEntry);
        Assert.Equal(19_700m, 20_000m - (im - mmAtEntry) / 1m);
    }

    [Fact]
    public void Bankruptcy_OneBtcAt10000_50x_Is9800()
    {
        var margin = IsolatedMath.InitialMargin(1m, 10_000m, 50);
        Assert.Equal(9_800m, IsolatedMath.BankruptcyPrice(1, 1m, 10_000m, margin));
    }

    [Fact]
    public void BinanceConvention_MaintenanceAtTheLiquidationPrice()
    {
        // EP 2,000, 10x → M 200, MMR 0.5%: long 1,800/0.995, short 2,200/1.005. Bybit's 1,810 / 2,190 differ on purpose.
        var brackets = Tables.Flat(0.005m);
        Assert.Equal(1_809.05m, Math.Round(IsolatedMath.LiquidationPrice(1, 1m, 2_000m, 200m, brackets)!.Value, 2));
        Assert.Equal(2_189.05m, Math.Round(IsolatedMath.LiquidationPrice(-1, 1m, 2_000m, 200m, brackets)!.Value, 2));
    }

    [Fact]
    public void LiquidationPrice_IteratesToTheBracketHoldingItsNotional()
    {
        // Short 4 @ 12,400 (notional 49,600, bracket 1), M 4,960. Bracket 1 would give 54,560/4.016 = 13,585.66,
        // notional 54,342 — in bracket 2, so bracket 2 applies: (49,600 + 4,960 + 50)/(4 × 1.005) = 54,610/4.02 = 13,584.58.
        var price = IsolatedMath.LiquidationPrice(-1, 4m, 12_400m, 4_960m, Tables.Example)!.Value;
        Assert.Equal(13_584.58m, Math.Round(price, 2));
        Assert.Equal(0.005m, Tables.Example.For(4m * price)!.MaintenanceMarginRate);
    }

    [Fact]
    public void LiquidationPrice_OfAOneTimesLong_IsNone()
    {
        Assert.Null(IsolatedMath.LiquidationPrice(1, 1m, 20_000m, 20_000m, Tables.Example));
    }

    [Fact]
    public void MaxRemovable_KeepsMarginAboveMaintenance_AndEquityAtInitialMarginAtTheMark()
    {
        // Long 1 @ 20,000, 10x, M 3,000. At the entry: equity 3,000 − IM 2,000 = 1,000. At mark 19,500: equity 2,500 − IM 1,950 = 550.
        Assert.Equal(1_000m, IsolatedMath.MaxRemovable(1, 1m, 20_000m, 3_000m, 10, 20_000m, Tables.Example));
        Assert.Equal(550m, IsolatedMath.MaxRemovable(1, 1m, 20_000m, 3_000m, 10, 19_500m, Tables.Example));
        Assert.Equal(0m, IsolatedMath.MaxRemovable(1, 1m, 20_000m, 2_000m, 10, 19_000m, Tables.Example));

        // In profit the margin backed by it is released (the old "M ≥ IM at entry" term said 0):
        // at 22,000 equity 4,000 − IM 2,200 = 1,800; at 30,000 the margin's own floor, 2,000 − MM 120 = 1,880.
        Assert.Equal(1_800m, IsolatedMath.MaxRemovable(1, 1m, 20_000m, 2_000m, 10, 22_000m, Tables.Example));
        Assert.Equal(1_880m, IsolatedMath.MaxRemovable(1, 1m, 20_000m, 2_000m, 10, 30_000m, Tables.Example));

        // Grown into a bracket allowing less leverage, IM at 100x falls below MM: short 100 @ 99, M 5,099,
        // mark 130: equity 1,999, MM 13,000 × 4% − 350 = 170, IM 130. Binance's two terms alone would allow 1,869 and leave
        // equity at 130 < MM; equity stays above MM: 1,999 − 170 − 0.00000001.
        var tight = RiskBrackets.Create([(10_000m, 0.005m, 100), (1_000_000m, 0.04m, 20)], out _)!;
        Assert.Equal(1_828.99999999m, IsolatedMath.MaxRemovable(-1, 100m, 99m, 5_099m, 100, 130m, tight));
    }

    [Fact]
    public void Rounding_TraderPaysUpAndReceivesDown()
    {
        Assert.Equal(0.00000002m, Money.Pay(0.000000011m));
        Assert.Equal(0.00000001m, Money.Receive(0.000000019m));
        Assert.Equal(-0.00000002m, Money.Receive(-0.000000011m));
        Assert.Equal(66.66666667m, IsolatedMath.InitialMargin(1m, 2_000m, 30));
    }
}
