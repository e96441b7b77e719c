namespace MarginOrleans.Markets;

/// <summary>
/// The four sorted lanes of a trigger index. Liquidation triggers have lanes of their own because
/// the market's funding shifts move them toward the mark; take-profit and stop-loss triggers are
/// exact prices. Each kind has a lane that fires at or below the mark and one that fires at or above.
/// One byte per entry, and the number indexes the index's per-lane arrays.
/// </summary>
internal enum TriggerLane : byte
{
    /// <summary>Fires when mark ≤ price; moved up by the longs' funding shift.</summary>
    LongLiquidation = 0,

    /// <summary>Fires when mark ≥ price; moved down by the shorts' funding shift.</summary>
    ShortLiquidation = 1,

    /// <summary>A take-profit or stop-loss that fires when mark ≤ price.</summary>
    ExactAtOrBelow = 2,

    /// <summary>A take-profit or stop-loss that fires when mark ≥ price.</summary>
    ExactAtOrAbove = 3,
}

internal static class TriggerLanes
{
    /// <summary>Every lane, in the order a tick visits them.</summary>
    public static readonly TriggerLane[] All =
        [TriggerLane.LongLiquidation, TriggerLane.ShortLiquidation, TriggerLane.ExactAtOrBelow, TriggerLane.ExactAtOrAbove];

    /// <summary>Liquidation triggers move with funding; take-profit and stop-loss are exact prices.</summary>
    public static TriggerLane Of(TriggerEntry entry) => (entry.Key.Kind == TriggerKind.Liquidation, entry.Direction) switch
    {
        (true, TriggerDirection.AtOrAbove) => TriggerLane.ShortLiquidation,
        (true, _) => TriggerLane.LongLiquidation,
        (false, TriggerDirection.AtOrAbove) => TriggerLane.ExactAtOrAbove,
        (false, _) => TriggerLane.ExactAtOrBelow,
    };

    /// <summary>The lane of a side's liquidation triggers: a long's fires at or below, a short's at or above.</summary>
    public static TriggerLane LiquidationOf(PositionSide side) =>
        side == PositionSide.Long ? TriggerLane.LongLiquidation : TriggerLane.ShortLiquidation;

    public static bool IsLiquidation(this TriggerLane lane) => lane <= TriggerLane.ShortLiquidation;

    public static bool FiresAtOrBelow(this TriggerLane lane) =>
        lane is TriggerLane.LongLiquidation or TriggerLane.ExactAtOrBelow;

    public static TriggerDirection Direction(this TriggerLane lane) =>
        lane.FiresAtOrBelow() ? TriggerDirection.AtOrBelow : TriggerDirection.AtOrAbove;

    /// <summary>The side whose liquidations a liquidation lane holds.</summary>
    public static PositionSide Side(this TriggerLane lane) =>
        lane == TriggerLane.LongLiquidation ? PositionSide.Long : PositionSide.Short;
}
