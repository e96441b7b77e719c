namespace MarginOrleans.Risk;

/// <summary>The figures a trader reads beside a position, the same for isolated and cross.</summary>
public static class PositionFigures
{
    /// <summary>
    /// Return on equity in percent: uPnL over the margin the position was opened with at its
    /// leverage (|Q| × entry / L, the exchanges' "ROE %"), to 2 places; 0 when flat.
    /// </summary>
    public static decimal RoePercent(decimal unrealizedPnl, decimal quantity, decimal entry, int leverage)
    {
        var margin = quantity * entry / leverage;
        return margin <= 0m ? 0m : Math.Round(unrealizedPnl / margin * 100m, 2);
    }

    /// <summary>
    /// How much more notional the position may reach at <paramref name="leverage"/>: the highest
    /// bracket cap whose maximum leverage allows it, less the notional held (never below zero).
    /// </summary>
    public static decimal MaxOpenableNotional(RiskBrackets brackets, int leverage, decimal notional)
    {
        var cap = brackets.Tiers.Where(t => t.LeverageMax >= leverage).Select(t => t.NotionalCap).DefaultIfEmpty(0m).Max();
        return Math.Max(0m, cap - notional);
    }
}
