using CsCheck;
using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>The bands' promise: while every mark is inside its band, the account is solvent (equity &gt; Σ MM).</summary>
public sealed class CrossBandProperties
{
    private static readonly Gen<CrossLeg> Legs =
        from sign in Gen.OneOfConst(1, -1)
        from tier in Gen.Int[0, 5].Select(i => Tables.Example.Tiers[i])
        from permille in Gen.OneOf(Gen.Int[0, 1_000], Gen.OneOfConst(0, 999, 1_000))
        from entry in Gen.Int[1_000, 1_000_000].Select(ticks => ticks * 0.1m)
        from move in Gen.Int[-300, 300].Select(pm => pm / 1_000m)
        from leverage in Gen.Int[1, tier.LeverageMax]
        let notional = tier.NotionalFloor + (tier.NotionalCap - tier.NotionalFloor) * permille / 1_000m
        let quantity = Math.Max(0.001m, Math.Floor(notional / entry * 1_000m) / 1_000m)
        let mark = Math.Max(0.1m, Math.Round(entry * (1m + move), 1))
        select new CrossLeg(sign, quantity, entry, mark, leverage, Tables.Example);

    /// <summary>A mark strictly inside the band: between the band and the current mark, or anywhere beyond on the safe side.</summary>
    private static decimal Inside(CrossLeg leg, decimal? band, int permille)
    {
        if (band is not { } b)
        {
            return Math.Max(0.0001m, leg.Mark * permille / 1_000m); // a long whose band no positive price reaches
        }

        var step = (leg.Mark - b) * permille / 1_000m;
        var price = permille == 0 ? b + leg.Sign * 0.00000001m : b + step;
        return leg.Sign == 1 ? Math.Max(price, b + 0.00000001m) : Math.Min(price, b - 0.00000001m);
    }

    [Fact]
    public void InsideAllBands_ImpliesEquityAboveMaintenance() =>
        Gen.Select(Legs.Array[1, 4], Gen.Int[0, 2_000_000], Gen.Int[0, 1_000].Array[4]).Sample((legs, walletUnits, permilles) =>
        {
            var wallet = walletUnits * 1m;
            var bands = CrossMath.Bands(wallet, legs);
            if (bands is null)
            {
                return CrossMath.IsLiquidatable(wallet, legs); // no bands only when already at maintenance
            }

            var moved = legs.Select((l, i) => l with { Mark = Inside(l, bands[i], permilles[i]) }).ToList();
            return CrossMath.MarginBalance(wallet, moved) > CrossMath.MaintenanceMargin(moved);
        }, iter: 20_000);

    [Fact]
    public void BandsLieBetweenTheMarkAndTheEstimatedLiquidationPrice() =>
        Gen.Select(Legs.Array[1, 4], Gen.Int[0, 2_000_000]).Sample((legs, walletUnits) =>
        {
            var wallet = walletUnits * 1m;
            if (CrossMath.Bands(wallet, legs) is not { } bands)
            {
                return true;
            }

            return legs.Select((l, i) => (l, band: bands[i], lp: CrossMath.EstimatedLiquidationPrice(wallet, legs, i))).All(x =>
                x.band is not { } b || (x.l.Sign == 1 ? b < x.l.Mark && (x.lp is null || b >= x.lp) : b > x.l.Mark && b <= x.lp));
        }, iter: 20_000);
}
