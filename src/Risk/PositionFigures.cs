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

    /// <summary>
    /// The mark at which closing the whole leg now nets zero over its life so far: its PnL at that
    /// price less the fees it paid since it opened, less the close's own taker fee on the exit
    /// notional, plus the funding it received (negative: paid). For a long
    /// <c>(BE − entry)·Q − fees − BE·Q·rate + funding = 0</c>, so
    /// <c>BE = (entry·Q + fees − funding) / (Q·(1 − rate))</c>; a short's mirror is
    /// <c>BE = (entry·Q − fees + funding) / (Q·(1 + rate))</c>. The PnL partial closes already
    /// realized is not counted: it is in the wallet, not in the leg. To price precision, as the
    /// liquidation price is; 0 when flat.
    /// </summary>
    public static decimal BreakEvenPrice(int sign, decimal quantity, decimal entry, decimal feesSinceOpen, decimal fundingSinceOpen, decimal takerFeeRate) =>
        quantity <= 0m ? 0m
            : Money.Price((entry * quantity + sign * (feesSinceOpen - fundingSinceOpen)) / (quantity * (1m - sign * takerFeeRate)));
}
