namespace MarginOrleans.Risk;

/// <summary>
/// The margin ratio and the margin call, one rule for cross and isolated: maintenance margin over
/// what backs it — the cross account's margin balance, an isolated position's equity — liquidated
/// at 1 (Binance's orientation). A trader is called at <see cref="Threshold"/>, with a fifth of that
/// cushion left.
/// </summary>
public static class MarginCall
{
    public const decimal Threshold = 0.8m;

    /// <summary>MM over what backs it, to 6 places; 1 once nothing backs it (nothing is left above liquidation).</summary>
    public static decimal Ratio(decimal maintenanceMargin, decimal backing) =>
        backing <= 0m ? 1m : Math.Round(maintenanceMargin / backing, 6);

    public static bool IsCalled(decimal ratio) => ratio >= Threshold;
}
