using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>Hedge mode's cross liquidation price and bands, per symbol (docs/margin-math.md, Hedge mode).</summary>
public sealed class CrossSymbolMathTests
{
    private static CrossLeg Long(decimal quantity, decimal entry, decimal mark) => new(1, quantity, entry, mark, 10, Tables.Example);

    private static CrossLeg Short(decimal quantity, decimal entry, decimal mark) => new(-1, quantity, entry, mark, 10, Tables.Example);

    /// <summary>Margin balance − Σ MM with symbol <paramref name="s"/> marked at <paramref name="price"/>: zero at a liquidation price.</summary>
    private static decimal Excess(decimal wallet, IReadOnlyList<IReadOnlyList<CrossLeg>> symbols, int s, decimal price)
    {
        var legs = symbols.SelectMany((g, j) => j == s ? g.Select(l => l with { Mark = price }) : g).ToList();
        return CrossMath.MarginBalance(wallet, legs) - CrossMath.MaintenanceMargin(legs);
    }

    /// <summary>The formula with each leg's bracket looked up at <paramref name="price"/>'s notional: a fixed point only if the solver chose those brackets.</summary>
    private static decimal Formula(decimal collateral, IReadOnlyList<CrossLeg> legs, decimal price)
    {
        var tiers = legs.Select(l => Tables.Example.For(l.Quantity * price)!).ToList();
        return (collateral + tiers.Sum(t => t.MaintenanceAmount) - legs.Sum(l => l.Sign * l.Quantity * l.Entry))
            / (legs.Select((l, k) => l.Quantity * tiers[k].MaintenanceMarginRate).Sum() - legs.Sum(l => l.Sign * l.Quantity));
    }

    [Fact]
    public void OneWayLegs_GiveTodaysCrossFigures()
    {
        // Wallet 9,985: BTC long 1 @ 20,000 → (20,000 − 9,945)/0.996; ETH short 10 @ 1,000 → 19,905/10.04.
        IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [[Long(1m, 20_000m, 20_000m)], [Short(10m, 1_000m, 1_000m)]];
        Assert.Equal(10_095.38152610m, Money.Price(CrossSymbolMath.LiquidationPrice(9_985m, symbols, 0)));
        Assert.Equal(1_982.56972112m, Money.Price(CrossSymbolMath.LiquidationPrice(9_985m, symbols, 1)));
        Assert.Equal(new MarkBounds(CrossMath.EstimatedLiquidationPrice(9_985m, [.. symbols.SelectMany(g => g)], 0), null), CrossSymbolMath.LiquidationPrices(9_985m, symbols, 0));

        // One symbol alone is the isolated solver with the wallet as its margin: 18,072.29 / 21,912.35, and the bracket iteration's 13,584.58.
        Assert.Equal(IsolatedMath.LiquidationPrice(1, 1m, 20_000m, 2_000m, Tables.Example), CrossSymbolMath.LiquidationPrice(2_000m, [[Long(1m, 20_000m, 20_000m)]], 0));
        Assert.Equal(IsolatedMath.LiquidationPrice(-1, 1m, 20_000m, 2_000m, Tables.Example), CrossSymbolMath.LiquidationPrice(2_000m, [[Short(1m, 20_000m, 20_000m)]], 0));
        Assert.Equal(13_584.58m, Math.Round(CrossSymbolMath.LiquidationPrice(4_960m, [[Short(4m, 12_400m, 12_400m)]], 0)!.Value, 2));
        Assert.Null(CrossSymbolMath.LiquidationPrice(20_000m, [[Long(1m, 20_000m, 20_000m)]], 0));
    }

    [Fact]
    public void FullyHedgedPair_LiquidatesAboveTheMark_InTheBracketItsNotionalReachesThere()
    {
        // Long 1 and short 1 @ 20,000, wallet 1,000: no uPnL, 2 × MM(P) = 1,000. Bracket 1 would give 125,000 (notional in
        // bracket 2), so bracket 2 applies: (1,000 + 50 + 50 − 20,000 + 20,000)/(0.005 + 0.005 − 1 + 1) = 110,000.
        IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [[Long(1m, 20_000m, 20_000m), Short(1m, 20_000m, 20_000m)]];
        Assert.Equal(new MarkBounds(null, 110_000m), CrossSymbolMath.LiquidationPrices(1_000m, symbols, 0));
        Assert.Equal(110_000m, CrossSymbolMath.LiquidationPrice(1_000m, symbols, 0));
        Assert.Equal(0m, Excess(1_000m, symbols, 0, 110_000m));
        Assert.Equal(0.004m, Tables.Example.For(20_000m)!.MaintenanceMarginRate);
        Assert.Equal(0.005m, Tables.Example.For(110_000m)!.MaintenanceMarginRate);
    }

    [Fact]
    public void HedgedSymbolNextToAnother_LiquidatesWhereMarginBalanceMeetsMaintenance_AfterItsLongLegChangesBracket()
    {
        // ETH long 10 @ 1,000 at 1,050: UPNL1 500, TMM1 42. BTC at 21,500: long 12 @ 21,000 (notional 258,000, bracket 3),
        // short 3 @ 20,500 (bracket 2). LP = (5,000 − 42 + 500 + 50 + 50 − 252,000 + 61,500)/(12 × 0.005 + 3 × 0.005 − 12 + 3)
        // = −184,942/−8.925 = 20,721.79271708…: the long's notional 248,661.51 has fallen into bracket 2.
        IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [[Long(10m, 1_000m, 1_050m)], [Long(12m, 21_000m, 21_500m), Short(3m, 20_500m, 21_500m)]];
        var bounds = CrossSymbolMath.LiquidationPrices(5_000m, symbols, 1);
        var price = bounds.Below!.Value;

        Assert.Null(bounds.Above); // net long 9 of 15: MM never grows faster than the profit (the rate stays below 60%)
        Assert.Equal(20_721.79271709m, Money.Price(price));
        Assert.InRange(Excess(5_000m, symbols, 1, price), -0.00000001m, 0.00000001m);
        Assert.Equal(price, Formula(5_000m - 42m + 500m, symbols[1], price));
        Assert.Equal(0.01m, Tables.Example.For(12m * 21_500m)!.MaintenanceMarginRate);
        Assert.Equal(0.005m, Tables.Example.For(12m * price)!.MaintenanceMarginRate);
    }

    [Fact]
    public void NetLongHedge_HasABoundOnEachSide_AndShowsTheNearerOne()
    {
        // Long 1 and short 0.9 @ 20,000, wallet 1,000. Falling: 1,000/(0.1 − 0.004 − 0.0036) = 10,822.51…; rising, both legs in
        // the 10% bracket: (1,000 + 2 × 1,266,300 − 2,000)/(0.1 + 0.09 − 0.1) = 28,128,888.88…
        IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [[Long(1m, 20_000m, 20_000m), Short(0.9m, 20_000m, 20_000m)]];
        var bounds = CrossSymbolMath.LiquidationPrices(1_000m, symbols, 0);

        Assert.Equal(10_822.51082251m, Money.Price(bounds.Below));
        Assert.Equal(28_128_888.88888889m, Money.Price(bounds.Above));
        Assert.InRange(Excess(1_000m, symbols, 0, bounds.Below!.Value), -0.00000001m, 0.00000001m);
        Assert.InRange(Excess(1_000m, symbols, 0, bounds.Above!.Value), -0.00000001m, 0.00000001m);
        Assert.Equal(bounds.Below, CrossSymbolMath.LiquidationPrice(1_000m, symbols, 0));
    }

    [Fact]
    public void Bands_OfASingleSymbol_AreItsLiquidationPrices_AndAFullyHedgedPairsBandIsAbove()
    {
        IReadOnlyList<IReadOnlyList<CrossLeg>> hedged = [[Long(1m, 20_000m, 20_000m), Short(1m, 20_000m, 20_000m)]];
        Assert.Equal([new MarkBounds(null, 110_000m)], CrossSymbolMath.Bands(1_000m, hedged)!);

        IReadOnlyList<IReadOnlyList<CrossLeg>> netLong = [[Long(1m, 20_000m, 20_000m), Short(0.9m, 20_000m, 20_000m)]];
        var band = CrossSymbolMath.Bands(1_000m, netLong)![0];
        Assert.Equal(CrossSymbolMath.LiquidationPrices(1_000m, netLong, 0), band);
        Assert.Equal(0m, Excess(1_000m, netLong, 0, band.Below!.Value) + Excess(1_000m, netLong, 0, band.Above!.Value), 8);
    }

    [Fact]
    public void Bands_ShareTheExcessBySymbolNotional_AndLeaveTheAccountAtMaintenanceWhenAllReachTheirs()
    {
        // Excess X = 5,000 + 500 + 6,000 − 3,000 − 42 − 1,280 − 272.5 = 6,905.5, shared by notional, ETH 10,500 of 333,000 (BTC counts both its legs).
        IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [[Long(10m, 1_000m, 1_050m)], [Long(12m, 21_000m, 21_500m), Short(3m, 20_500m, 21_500m)]];
        var bands = CrossSymbolMath.Bands(5_000m, symbols)!;
        var (eth, btc) = (bands[0].Below!.Value, bands[1].Below!.Value);

        Assert.Null(bands[0].Above);
        Assert.Null(bands[1].Above);
        var moved = new List<CrossLeg> { symbols[0][0] with { Mark = eth }, symbols[1][0] with { Mark = btc }, symbols[1][1] with { Mark = btc } };
        Assert.InRange(CrossMath.MarginBalance(5_000m, moved) - CrossMath.MaintenanceMargin(moved), -0.00000001m, 0.00000001m);
        Assert.Equal(6_905.5m * 10_500m / 333_000m, 500m - 42m - (Long(10m, 1_000m, eth).UnrealizedPnl - Long(10m, 1_000m, eth).MaintenanceMargin), 20);
        Assert.Null(CrossSymbolMath.Bands(500m, [[Long(10m, 1_000m, 1_050m)], [Long(12m, 21_000m, 20_000m), Short(3m, 20_500m, 20_000m)]]));
    }

    [Fact]
    public void ASymbolHoldsOneLeg_OrALongAndAShortAtOneMark()
    {
        Assert.Throws<ArgumentException>(() => CrossSymbolMath.LiquidationPrice(1_000m, [[Long(1m, 1m, 1m), Long(1m, 1m, 1m)]], 0));
        Assert.Throws<ArgumentException>(() => CrossSymbolMath.LiquidationPrice(1_000m, [[Long(1m, 1m, 1m), Short(1m, 1m, 2m)]], 0));
    }
}
