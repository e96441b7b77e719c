namespace MarginOrleans.Risk;

/// <summary>
/// Solves collateral + Σ uPnL_k(P) − Σ MM_k(P) = 0 for the one mark P shared by a symbol's legs,
/// each leg's MM from the bracket holding its own notional at P (Binance's convention):
/// <code>
/// P = (collateral + Σ cum_k − Σ s_k Q_k E_k) / (Σ Q_k MMR_k − Σ s_k Q_k)
/// </code>
/// The left side is concave in P (uPnL is linear, each MM is convex: its rates rise with the
/// bracket), so it crosses zero at most once rising (the bound below: liquidated as the mark falls)
/// and at most once falling (the bound above). The breakpoints of every leg's brackets split the
/// prices into at most Σ brackets segments, each with fixed brackets; they are tried in rising
/// order and a solution counts only inside its own segment. With one leg this is the isolated
/// solver's iteration, term for term.
/// </summary>
internal static class CrossSolver
{
    public static MarkBounds Solve(decimal collateral, IReadOnlyList<CrossLeg> legs)
    {
        var tiers = new int[legs.Count];
        decimal? below = null, above = null;
        while (true)
        {
            decimal moving = 0m, fixedPart = 0m, maintenanceAmount = 0m, maintenanceRate = 0m;
            foreach (var (leg, k) in legs.Select((l, k) => (l, k)))
            {
                var tier = leg.Brackets.Tiers[tiers[k]];
                fixedPart += leg.Sign * leg.Quantity * leg.Entry;
                moving += leg.Sign * leg.Quantity;
                maintenanceAmount += tier.MaintenanceAmount;
                maintenanceRate += leg.Quantity * tier.MaintenanceMarginRate;
            }

            var slope = moving - maintenanceRate;
            if (slope != 0m)
            {
                var price = (fixedPart - (collateral + maintenanceAmount)) / slope;
                if (InSegment(legs, tiers, price))
                {
                    below ??= slope > 0m ? price : null;
                    above ??= slope < 0m ? price : null;
                }
            }

            if (Next(legs, tiers) is not { } k2)
            {
                return new MarkBounds(below > 0m ? below : null, above > 0m ? above : null);
            }

            tiers[k2]++;
        }
    }

    /// <summary>Every leg's bracket holds its notional at <paramref name="price"/> (the last one extends).</summary>
    private static bool InSegment(IReadOnlyList<CrossLeg> legs, int[] tiers, decimal price) =>
        legs.Select((l, k) => (l, tier: l.Brackets.Tiers[tiers[k]])).All(x =>
            x.tier.Holds(x.l.Quantity * price) || (x.tier == x.l.Brackets.Tiers[^1] && x.l.Quantity * price >= x.tier.NotionalCap));

    /// <summary>The leg whose bracket ends first as the price rises, or null when every leg is in its last bracket.</summary>
    private static int? Next(IReadOnlyList<CrossLeg> legs, int[] tiers)
    {
        int? next = null;
        decimal end = 0m;
        for (var k = 0; k < legs.Count; k++)
        {
            var table = legs[k].Brackets.Tiers;
            if (tiers[k] < table.Count - 1 && (next is null || table[tiers[k]].NotionalCap / legs[k].Quantity < end))
            {
                (next, end) = (k, table[tiers[k]].NotionalCap / legs[k].Quantity);
            }
        }

        return next;
    }
}
