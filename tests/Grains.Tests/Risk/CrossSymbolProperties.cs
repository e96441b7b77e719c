using CsCheck;
using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>The per-symbol cross math against today's per-leg figures and against its own defining equality.</summary>
public sealed class CrossSymbolProperties
{
    private static readonly Gen<(decimal Entry, decimal Mark)> Prices =
        from entry in Gen.Int[1_000, 1_000_000].Select(ticks => ticks * 0.1m)
        from move in Gen.Int[-300, 300].Select(pm => pm / 1_000m)
        select (entry, Math.Max(0.1m, Math.Round(entry * (1m + move), 1)));

    private static readonly Gen<decimal> Quantities =
        from tier in Gen.Int[0, 5].Select(i => Tables.Example.Tiers[i])
        from permille in Gen.OneOf(Gen.Int[0, 1_000], Gen.OneOfConst(0, 999, 1_000))
        select Math.Max(0.001m, Math.Floor((tier.NotionalFloor + (tier.NotionalCap - tier.NotionalFloor) * permille / 1_000m) / 20_000m * 1_000m) / 1_000m);

    private static readonly Gen<CrossLeg> OneWay =
        from sign in Gen.OneOfConst(1, -1)
        from quantity in Quantities
        from prices in Prices
        select new CrossLeg(sign, quantity, prices.Entry, prices.Mark, 10, Tables.Example);

    /// <summary>A symbol: one one-way leg, or a long and a short (each its own entry) at one mark.</summary>
    private static readonly Gen<IReadOnlyList<CrossLeg>> Symbol = Gen.OneOf(
        OneWay.Select(l => (IReadOnlyList<CrossLeg>)[l]),
        from leg in OneWay
        from quantity in Quantities
        from entry in Gen.Int[-300, 300].Select(pm => Math.Round(leg.Entry * (1m + pm / 1_000m), 1))
        select (IReadOnlyList<CrossLeg>)[leg, leg with { Sign = -leg.Sign, Quantity = quantity, Entry = Math.Max(0.1m, entry) }]);

    private static decimal Excess(decimal wallet, IReadOnlyList<IReadOnlyList<CrossLeg>> symbols, int s, decimal price)
    {
        var legs = symbols.SelectMany((g, j) => j == s ? g.Select(l => l with { Mark = price }) : g).ToList();
        return CrossMath.MarginBalance(wallet, legs) - CrossMath.MaintenanceMargin(legs);
    }

    [Fact]
    public void OneLegPerSymbol_GivesExactlyTodaysLiquidationPricesAndBands() =>
        Gen.Select(OneWay.Array[1, 4], Gen.Int[0, 2_000_000]).Sample((legs, walletUnits) =>
        {
            var wallet = walletUnits * 1m;
            IReadOnlyList<IReadOnlyList<CrossLeg>> symbols = [.. legs.Select(l => (IReadOnlyList<CrossLeg>)[l])];
            var bands = CrossMath.Bands(wallet, legs);
            var grouped = CrossSymbolMath.Bands(wallet, symbols);
            return legs.Select((l, i) => CrossSymbolMath.LiquidationPrice(wallet, symbols, i) == CrossMath.EstimatedLiquidationPrice(wallet, legs, i)).All(same => same)
                && (bands is null ? grouped is null : grouped is not null && bands.Select((b, i) => grouped[i] == (legs[i].Sign == 1 ? new MarkBounds(b, null) : new MarkBounds(null, b))).All(same => same));
        }, iter: 20_000);

    [Fact]
    public void AtEachLiquidationPrice_MarginBalanceEqualsMaintenance() =>
        Gen.Select(Symbol.Array[1, 3], Gen.Int[0, 2_000_000]).Sample((symbols, walletUnits) =>
        {
            var wallet = walletUnits * 1m;
            var bounds = CrossSymbolMath.LiquidationPrices(wallet, symbols, 0);
            return new[] { bounds.Below, bounds.Above }.All(p => p is not { } price || Math.Abs(Excess(wallet, symbols, 0, price)) <= 0.00000001m);
        }, iter: 20_000);

    [Fact]
    public void InsideEverySymbolsBand_TheAccountIsSolvent() =>
        Gen.Select(Symbol.Array[1, 3], Gen.Int[0, 2_000_000], Gen.Int[1, 999].Array[3]).Sample((symbols, walletUnits, permilles) =>
        {
            var wallet = walletUnits * 1m;
            if (CrossSymbolMath.Bands(wallet, symbols) is not { } bands)
            {
                return CrossMath.IsLiquidatable(wallet, [.. symbols.SelectMany(g => g)]);
            }

            // Each symbol's mark moves to a point strictly inside its bounds, towards one of them.
            var moved = symbols.SelectMany((g, j) =>
            {
                var mark = g[0].Mark;
                var bound = permilles[j] % 2 == 0 ? bands[j].Below ?? 0m : bands[j].Above ?? mark * 3m;
                var price = Math.Max(0.0001m, mark + (bound - mark) * permilles[j] / 1_000m);
                return g.Select(l => l with { Mark = price });
            }).ToList();
            return CrossMath.MarginBalance(wallet, moved) > CrossMath.MaintenanceMargin(moved);
        }, iter: 20_000);
}
