namespace MarginOrleans.Risk;

/// <summary>
/// Isolated-margin math for linear USDT contracts, one-way mode (docs/margin-math.md). <c>sign</c> is +1
/// for a long and −1 for a short; quantities are absolute.
/// </summary>
public static class IsolatedMath
{
    /// <summary>IM = Q × P / L, rounded up because the trader pays it.</summary>
    public static decimal InitialMargin(decimal quantity, decimal price, int leverage) =>
        Money.Pay(quantity * price / leverage);

    /// <summary>uPnL = s × Q × (P − E), exact.</summary>
    public static decimal UnrealizedPnl(int sign, decimal quantity, decimal entry, decimal mark) =>
        sign * quantity * (mark - entry);

    public static decimal Fee(decimal notional, decimal rate) => Money.Pay(notional * rate);

    /// <summary>Equity ≤ MM at the mark: the position must be liquidated.</summary>
    public static bool IsLiquidatable(int sign, decimal quantity, decimal entry, decimal margin, decimal mark, RiskBrackets brackets) =>
        margin + UnrealizedPnl(sign, quantity, entry, mark) <= brackets.MaintenanceMargin(quantity * mark);

    /// <summary>
    /// The mark at which collateral + uPnL = MM, with MM taken at that price (Binance's convention;
    /// a cross leg passes the collateral of <see cref="CrossMath.EstimatedLiquidationPrice"/>):
    /// long (Q×E − M − cum)/(Q×(1 − mmr)), short (Q×E + M + cum)/(Q×(1 + mmr)). Equity − MM is
    /// continuous and monotonic in P, so exactly one bracket is self-consistent. Null when a long
    /// cannot be liquidated at any positive price.
    /// </summary>
    public static decimal? LiquidationPrice(int sign, decimal quantity, decimal entry, decimal margin, RiskBrackets brackets)
    {
        foreach (var tier in brackets.Tiers)
        {
            var price = (quantity * entry - sign * (margin + tier.MaintenanceAmount))
                / (quantity * (1m - sign * tier.MaintenanceMarginRate));
            if (tier.Holds(quantity * price) || (tier == brackets.Tiers[^1] && quantity * price >= tier.NotionalCap))
            {
                return price > 0m ? price : null;
            }
        }

        return null; // Only a long whose solution lies below zero reaches here.
    }

    /// <summary>The mark at which equity = 0: long E − M/Q, short E + M/Q; never below zero.</summary>
    public static decimal BankruptcyPrice(int sign, decimal quantity, decimal entry, decimal margin) =>
        Math.Max(0m, entry - sign * margin / quantity);

    /// <summary>
    /// Margin that may leave the position, Binance's rule:
    /// <c>max(0, min(M − MM, M + uPnL − IM at the mark))</c>, rounded down. Margin backed by
    /// unrealized profit is released as long as the margin itself stays at MM and equity at IM at
    /// the mark. A rule of "M − removed ≥ IM" at the entry price would keep a winning trader's
    /// profit locked in; exchanges release it. One term more than Binance's: equity stays strictly above MM,
    /// since IM at the position's leverage can fall below MM once its notional has grown into a
    /// bracket that allows less leverage (or the brackets were tightened).
    /// </summary>
    public static decimal MaxRemovable(int sign, decimal quantity, decimal entry, decimal margin, int leverage, decimal mark, RiskBrackets brackets)
    {
        var equity = margin + UnrealizedPnl(sign, quantity, entry, mark);
        var maintenance = brackets.MaintenanceMargin(quantity * mark);
        var byMaintenance = margin - maintenance;
        var byMark = equity - quantity * mark / leverage;
        var aboveMaintenance = equity - maintenance - Money.Unit;
        return Math.Max(0m, Money.Receive(Math.Min(aboveMaintenance, Math.Min(byMaintenance, byMark))));
    }
}
