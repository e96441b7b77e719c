namespace MarginOrleans.Risk;

/// <summary>
/// Cross-margin math per symbol (docs/margin-math.md, Hedge mode). The account's cross legs come
/// grouped by symbol: a symbol holds one one-way leg, or up to two hedge legs (a long and a short,
/// never netted). The sign says which: a hedge long is +1 and a hedge short −1, exactly as a
/// one-way long or short, so the one-way results are these with one leg per symbol. Every leg of
/// a symbol is marked to that symbol's one mark, and each leg pays maintenance on its own
/// notional from its own bracket.
/// </summary>
public static class CrossSymbolMath
{
    /// <summary>
    /// The marks of symbol <paramref name="s"/> at which the account's margin balance equals Σ MM,
    /// every other symbol's mark held: the root of
    /// WB − TMM1 + UPNL1 + Σ uPnL_k(P) − Σ MM_k(P) = 0 over the symbol's legs k, MM evaluated at P.
    /// Both legs of a hedged symbol share these prices.
    /// </summary>
    public static MarkBounds LiquidationPrices(decimal wallet, IReadOnlyList<IReadOnlyList<CrossLeg>> symbols, int s)
    {
        var others = symbols.Where((_, j) => j != s).SelectMany(legs => legs).ToList();
        var collateral = wallet - CrossMath.MaintenanceMargin(others) + others.Sum(l => l.UnrealizedPnl);
        return CrossSolver.Solve(collateral, Checked(symbols[s]));
    }

    /// <summary>
    /// The liquidation price both legs of symbol <paramref name="s"/> show: the bound of
    /// <see cref="LiquidationPrices"/> nearer the mark; null ("--") when no positive price reaches maintenance.
    /// </summary>
    public static decimal? LiquidationPrice(decimal wallet, IReadOnlyList<IReadOnlyList<CrossLeg>> symbols, int s) =>
        LiquidationPrices(wallet, symbols, s).Nearest(symbols[s][0].Mark);

    /// <summary>
    /// One band per symbol, the bands of <see cref="CrossMath.Bands"/> with a symbol in place of a
    /// leg: the excess X = MB − Σ MM is shared out by each symbol's notional (its legs' sum), and a
    /// symbol's bounds are the marks at which its legs' change in (uPnL − MM) together use up its
    /// share. A symbol's legs move with one mark, so each change still depends on one mark only and
    /// the account stays solvent while every mark is strictly inside its symbol's bounds. With a
    /// single symbol the bounds are the liquidation prices. Returns null when the account is already
    /// at or below maintenance.
    /// </summary>
    public static IReadOnlyList<MarkBounds>? Bands(decimal wallet, IReadOnlyList<IReadOnlyList<CrossLeg>> symbols)
    {
        var legs = symbols.SelectMany(l => l).ToList();
        var excess = CrossMath.MarginBalance(wallet, legs) - CrossMath.MaintenanceMargin(legs);
        if (legs.Count == 0 || excess <= 0m)
        {
            return legs.Count == 0 ? [.. symbols.Select(_ => MarkBounds.None)] : null;
        }

        var notional = legs.Sum(l => l.Notional);
        return [.. symbols.Select(g =>
        {
            var share = excess * g.Sum(l => l.Notional) / notional;
            return CrossSolver.Solve(share - g.Sum(l => l.UnrealizedPnl) + g.Sum(l => l.MaintenanceMargin), Checked(g));
        })];
    }

    private static IReadOnlyList<CrossLeg> Checked(IReadOnlyList<CrossLeg> legs)
    {
        var valid = legs.Count switch
        {
            1 => true,
            2 => legs[0].Sign == -legs[1].Sign && legs[0].Mark == legs[1].Mark,
            _ => false,
        };
        return valid ? legs : throw new ArgumentException("a symbol holds one leg, or a long and a short at one mark", nameof(legs));
    }
}
