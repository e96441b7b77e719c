namespace MarginOrleans.Positions;

/// <summary>
/// Which leg of a symbol a position is (the exchanges' "position side"): <see cref="Both"/> is the
/// one net leg of one-way mode, <see cref="Long"/> and <see cref="Short"/> the two legs of hedge mode.
/// Not the direction a leg holds: a <see cref="Both"/> leg is long or short by its last fill.
/// </summary>
[Alias("LegSide")]
public enum LegSide
{
    Both = 0,
    Long = 1,
    Short = 2,
}
