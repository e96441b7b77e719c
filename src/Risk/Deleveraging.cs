namespace MarginOrleans.Risk;

/// <summary>
/// Auto-deleveraging: when a market's insurance fund cannot pay a bankrupt
/// position's deficit, opposite-side positions are closed at the bankrupt one's bankruptcy price,
/// the most profitable and most leveraged first.
/// </summary>
public static class Deleveraging
{
    /// <summary>Stands in for an infinite effective leverage: a position at or past its bankruptcy price.</summary>
    private const decimal LeverageCeiling = 1_000_000m;

    /// <summary>
    /// BitMEX/Bybit ranking: PnL% × effective leverage when in profit, PnL% ÷
    /// effective leverage otherwise, with PnL% = s × (P − E) / E and effective leverage
    /// P / (s × (P − BP)). Example: long, E 20,000, P 22,000, BP 18,000 → 0.1 × 5.5 = 0.55.
    /// </summary>
    public static decimal Score(int sign, decimal entry, decimal bankruptcy, decimal mark)
    {
        if (entry <= 0m || mark <= 0m)
        {
            return 0m;
        }

        // One division each way: the ranking runs over every position of a side.
        var (gain, distance) = (sign * (mark - entry), sign * (mark - bankruptcy));
        if (distance * LeverageCeiling <= mark)
        {
            return gain > 0m ? gain * LeverageCeiling / entry : gain / (entry * LeverageCeiling);
        }

        return gain > 0m ? gain * mark / (entry * distance) : gain * distance / (entry * mark);
    }

    /// <summary>
    /// The exchanges' ADL indicator, 1 (last in the queue) to 5 (first): the fifth of the side a
    /// position's score falls in, from <paramref name="below"/> positions of <paramref name="count"/>
    /// scoring lower. A position not in profit is never deleveraged: 1.
    /// </summary>
    public static int Quantile(decimal score, int below, int count) =>
        score <= 0m || count <= 0 ? 1 : Math.Clamp(1 + below * 5 / count, 1, 5);

    /// <summary>
    /// What a deleveraged position gives up: closing <c>q</c> at the bankruptcy price instead of the
    /// mark costs it <c>q × perUnit</c> (capped per unit at its own profit <paramref name="profitPerUnit"/>), where <paramref name="perUnit"/> is the bankrupt position's
    /// deficit per unit. It closes the fewest lots that cover <paramref name="needed"/> (all it holds
    /// at most) and never gives up more than the profit the close realizes at the mark: a trader
    /// deleveraged keeps a non-negative PnL, and only unrealized profit pays for another's loss.
    /// Returns (0, 0) when it has nothing to give.
    /// </summary>
    public static (decimal Quantity, decimal Contribution) Take(decimal held, decimal profitPerUnit, decimal needed, decimal perUnit, decimal lot)
    {
        if (held <= 0m || needed <= 0m || perUnit <= 0m || profitPerUnit <= 0m)
        {
            return (0m, 0m);
        }

        var given = Math.Min(perUnit, profitPerUnit);
        var quantity = Math.Min(held, Math.Ceiling(needed / given / lot) * lot);
        var contribution = Money.Receive(Math.Min(needed, quantity * given));
        return contribution > 0m ? (quantity, contribution) : (0m, 0m);
    }
}
