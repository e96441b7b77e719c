namespace MarginOrleans.Markets;

/// <summary>
/// Prices as a trigger index holds and compares them: integers at a fixed scale, an entry's
/// rounded toward the side it fires on and the mark's away from it, so that rounding makes a
/// trigger fire early, never late. Liquidation prices are held relative to funding shift zero and
/// the market's funding shifts are applied to the mark instead, so a shift re-sorts nothing.
/// </summary>
internal sealed class TriggerPrices
{
    /// <summary>Prices are held as integers of this many units, rounded so that a trigger fires no later than its price.</summary>
    private const decimal PriceScale = 100_000_000m;

    /// <summary>The market's funding shifts, scaled: how far liquidation prices have moved toward the mark since zero.</summary>
    private long longShift;
    private long shortShift;

    /// <summary>The market's funding so far (<see cref="TriggerIndex.Shift"/>); shifts only grow, so a tick delivered late never moves them back.</summary>
    public void Shift(decimal longs, decimal shorts) =>
        (longShift, shortShift) = (Math.Max(longShift, ToLong(Math.Ceiling(longs * PriceScale))), Math.Max(shortShift, ToLong(Math.Ceiling(shorts * PriceScale))));

    /// <summary>
    /// The entry's price relative to shift zero, as an integer rounded toward the side it fires on
    /// (a long's up, a short's down) and capped at the range of a long — the cap is far above any
    /// real price and keeps the order, so nothing fires late. A liquidation price computed under
    /// shift <c>s</c> is held as <c>price − s</c> (a long's) or <c>price + s</c> (a short's).
    /// </summary>
    public static long Normalized(TriggerEntry entry)
    {
        var frame = entry.Key.Kind == TriggerKind.Liquidation ? entry.Frame : 0m;
        return entry.Direction == TriggerDirection.AtOrBelow
            ? ToLong(Math.Ceiling((entry.Price - frame) * PriceScale))
            : ToLong(Math.Floor((entry.Price + frame) * PriceScale));
    }

    /// <summary>
    /// The mark as a lane compares it: rounded away from firing (down against a long's price, up
    /// against a short's) and, in the liquidation lanes, moved by the shift: a long's trigger at
    /// <c>p − s</c> fires when <c>mark ≤ p − s + shift</c>.
    /// </summary>
    public long MarkIn(TriggerLane lane, decimal mark) => lane switch
    {
        TriggerLane.LongLiquidation => Saturating(ToLong(Math.Floor(mark * PriceScale)), -longShift),
        TriggerLane.ShortLiquidation => Saturating(ToLong(Math.Ceiling(mark * PriceScale)), shortShift),
        TriggerLane.ExactAtOrBelow => ToLong(Math.Floor(mark * PriceScale)),
        _ => ToLong(Math.Ceiling(mark * PriceScale)),
    };

    /// <summary>
    /// The mark at or beyond which a liquidation lane's entry fires now: its held price with the
    /// lane's funding shift put back (<see cref="MarkIn"/> the other way round).
    /// </summary>
    public decimal FiresAt(TriggerLane lane, long price) =>
        (lane == TriggerLane.LongLiquidation ? (decimal)price + longShift : (decimal)price - shortShift) / PriceScale;

    private static long Saturating(long a, long b) => b > 0 && a > long.MaxValue - b ? long.MaxValue : b < 0 && a < long.MinValue - b ? long.MinValue : a + b;

    private static long ToLong(decimal scaled) => scaled >= long.MaxValue ? long.MaxValue : scaled <= long.MinValue ? long.MinValue : (long)scaled;
}
