namespace MarginOrleans.Markets;

[Alias("PositionSide")]
public enum PositionSide
{
    Long = 1,
    Short = 2,
}

public static class PositionSideExtensions
{
    /// <summary>+1 for a long, −1 for a short: the s of the margin formulas (docs/margin-math.md).</summary>
    public static int Sign(this PositionSide side) => side == PositionSide.Long ? 1 : -1;

    public static PositionSide Opposite(this PositionSide side) =>
        side == PositionSide.Long ? PositionSide.Short : PositionSide.Long;
}
