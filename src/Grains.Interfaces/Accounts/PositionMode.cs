namespace MarginOrleans.Accounts;

/// <summary>
/// How an account holds positions, for every symbol: <see cref="OneWay"/>, one net leg per symbol
/// (<see cref="Positions.LegSide.Both"/>), or <see cref="Hedge"/>, a long and a short leg side by side,
/// never netted (<see cref="Positions.LegSide.Long"/>, <see cref="Positions.LegSide.Short"/>).
/// </summary>
[Alias("PositionMode")]
public enum PositionMode
{
    OneWay = 0,
    Hedge = 1,
}
