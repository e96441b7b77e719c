namespace MarginOrleans.Risk;

/// <summary>
/// Cross-margin math (docs/margin-math.md, Cross margin): the wallet plus every cross position's uPnL backs
/// all of them; the account is liquidated when that margin balance falls to Σ MM.
/// </summary>
public static class CrossMath
{
    public static decimal MarginBalance(decimal wallet, IReadOnlyList<CrossLeg> legs) => wallet + legs.Sum(l => l.UnrealizedPnl);

    public static decimal MaintenanceMargin(IReadOnlyList<CrossLeg> legs) => legs.Sum(l => l.MaintenanceMargin);

    public static decimal InitialMargin(IReadOnlyList<CrossLeg> legs) => legs.Sum(l => l.InitialMargin);

    public static bool IsLiquidatable(decimal wallet, IReadOnlyList<CrossLeg> legs) =>
        legs.Count > 0 && MarginBalance(wallet, legs) <= MaintenanceMargin(legs);

    /// <summary>Margin balance − Σ cross IM at the marks; what new cross positions and transfers may use.</summary>
    public static decimal Available(decimal wallet, IReadOnlyList<CrossLeg> legs) => MarginBalance(wallet, legs) - InitialMargin(legs);

    /// <summary>
    /// Max withdrawal, no open orders: min(wallet − Σ MM, margin balance − Σ IM), rounded down, never
    /// negative. The cap on what leaves the cross wallet: a withdrawal or an isolated top-up (max addable).
    /// </summary>
    public static decimal MaxWithdrawal(decimal wallet, IReadOnlyList<CrossLeg> legs) =>
        Math.Max(0m, Money.Receive(Math.Min(wallet - MaintenanceMargin(legs), Available(wallet, legs))));

    /// <summary>
    /// Binance's liquidation price in cross mode: the mark of leg <paramref name="legIndex"/> at which the account's
    /// margin balance equals Σ MM, every other mark held. It is the isolated solution with
    /// collateral WB − TMM1 + UPNL1, where TMM1 and UPNL1 are the other legs' MM and uPnL.
    /// </summary>
    public static decimal? EstimatedLiquidationPrice(decimal wallet, IReadOnlyList<CrossLeg> legs, int legIndex)
    {
        var leg = legs[legIndex];
        var others = legs.Where((_, j) => j != legIndex).ToList();
        var collateral = wallet - MaintenanceMargin(others) + others.Sum(l => l.UnrealizedPnl);
        return IsolatedMath.LiquidationPrice(leg.Sign, leg.Quantity, leg.Entry, collateral, leg.Brackets);
    }

    /// <summary>The mark of leg <paramref name="legIndex"/> at which the margin balance is zero, other marks held.</summary>
    public static decimal EstimatedBankruptcyPrice(decimal wallet, IReadOnlyList<CrossLeg> legs, int legIndex)
    {
        var leg = legs[legIndex];
        var collateral = wallet + legs.Where((_, j) => j != legIndex).Sum(l => l.UnrealizedPnl);
        return IsolatedMath.BankruptcyPrice(leg.Sign, leg.Quantity, leg.Entry, collateral);
    }

    /// <summary>
    /// The trigger bands. The excess X = margin balance − Σ MM is shared out by notional; leg i's
    /// band is the adverse mark at which its own change in (uPnL − MM) consumes its share X_i.
    /// Each change depends on that leg's mark only, so while every mark stays inside its band
    /// Σ change &gt; −Σ X_i = −X and the account is solvent. Solving "share + uPnL − MM = 0" is the
    /// isolated solver with collateral X_i − uPnL_i + MM_i, bracket iteration included, so bands
    /// stay exact across bracket boundaries. Null entries: no positive price reaches the band.
    /// Returns null when the account is already at or below maintenance.
    /// </summary>
    public static IReadOnlyList<decimal?>? Bands(decimal wallet, IReadOnlyList<CrossLeg> legs)
    {
        var excess = MarginBalance(wallet, legs) - MaintenanceMargin(legs);
        if (legs.Count == 0 || excess <= 0m)
        {
            return legs.Count == 0 ? [] : null;
        }

        var notional = legs.Sum(l => l.Notional);
        return [.. legs.Select(l =>
        {
            var share = excess * l.Notional / notional;
            return IsolatedMath.LiquidationPrice(l.Sign, l.Quantity, l.Entry, share - l.UnrealizedPnl + l.MaintenanceMargin, l.Brackets);
        })];
    }
}
