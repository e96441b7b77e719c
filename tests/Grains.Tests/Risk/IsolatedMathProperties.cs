using CsCheck;
using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>Properties of the isolated liquidation price over random positions on the example table, edge-biased toward bracket caps.</summary>
public sealed class IsolatedMathProperties
{
    private static readonly Gen<(int Sign, decimal Quantity, decimal Entry, int Leverage)> Positions =
        from sign in Gen.OneOfConst(1, -1)
        from tier in Gen.Int[0, 9].Select(i => Tables.Example.Tiers[i])
        from permille in Gen.OneOf(Gen.Int[0, 1_000], Gen.OneOfConst(0, 999, 1_000))
        from entry in Gen.Int[1_000, 2_000_000].Select(ticks => ticks * 0.1m)
        from leverage in Gen.Int[1, tier.LeverageMax]
        let notional = tier.NotionalFloor + (tier.NotionalCap - tier.NotionalFloor) * permille / 1_000m
        let quantity = Math.Max(0.001m, Math.Floor(notional / entry * 1_000m) / 1_000m)
        where Tables.Example.For(quantity * entry) is { } b && leverage <= b.LeverageMax
        select (sign, quantity, entry, leverage);

    [Fact]
    public void LiquidationPrice_LiesBetweenEntryAndBankruptcy() => Positions.Sample(p =>
    {
        var margin = IsolatedMath.InitialMargin(p.Quantity, p.Entry, p.Leverage);
        var bankruptcy = IsolatedMath.BankruptcyPrice(p.Sign, p.Quantity, p.Entry, margin);
        if (IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.Entry, margin, Tables.Example) is not { } lp)
        {
            return p.Sign == 1 && bankruptcy == 0m;
        }

        return p.Sign == 1 ? lp < p.Entry && lp > bankruptcy : lp > p.Entry && lp < bankruptcy;
    }, iter: 20_000);

    [Fact]
    public void AtTheLiquidationPrice_EquityEqualsMaintenance_InItsOwnBracket() => Positions.Sample(p =>
    {
        var margin = IsolatedMath.InitialMargin(p.Quantity, p.Entry, p.Leverage);
        if (IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.Entry, margin, Tables.Example) is not { } lp)
        {
            return true;
        }

        var equity = margin + IsolatedMath.UnrealizedPnl(p.Sign, p.Quantity, p.Entry, lp);
        var bracket = Tables.Example.For(p.Quantity * lp) ?? Tables.Example.Tiers[^1];
        var holds = bracket.Holds(p.Quantity * lp) || bracket == Tables.Example.Tiers[^1];
        return holds && Math.Abs(equity - bracket.MaintenanceMargin(p.Quantity * lp)) <= 0.00000001m;
    }, iter: 20_000);

    [Fact]
    public void AddingMargin_MovesTheLiquidationPriceAwayFromTheMark() => Positions.Select(Gen.Int[1, 1_000_000]).Sample((p, cents) =>
    {
        var margin = IsolatedMath.InitialMargin(p.Quantity, p.Entry, p.Leverage);
        var before = IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.Entry, margin, Tables.Example);
        var after = IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.Entry, margin + cents * 0.01m, Tables.Example);
        if (before is null)
        {
            return after is null;
        }

        return p.Sign == 1 ? after is null || after < before : after > before;
    }, iter: 20_000);

    [Fact]
    public void IsLiquidatable_FlipsAtTheLiquidationPrice() => Positions.Sample(p =>
    {
        var margin = IsolatedMath.InitialMargin(p.Quantity, p.Entry, p.Leverage);
        if (IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.Entry, margin, Tables.Example) is not { } lp)
        {
            return true;
        }

        // A cent beyond the price toward bankruptcy liquidates; a cent back toward entry does not.
        var beyond = lp - p.Sign * 0.01m;
        var inside = lp + p.Sign * 0.01m;
        return (beyond <= 0m || IsolatedMath.IsLiquidatable(p.Sign, p.Quantity, p.Entry, margin, beyond, Tables.Example))
            && !IsolatedMath.IsLiquidatable(p.Sign, p.Quantity, p.Entry, margin, inside, Tables.Example);
    }, iter: 20_000);
}
