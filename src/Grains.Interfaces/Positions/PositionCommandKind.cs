namespace MarginOrleans.Positions;

[Alias("PositionCommandKind")]
public enum PositionCommandKind
{
    Open = 1,
    Close = 2,
    AddMargin = 3,
    RemoveMargin = 4,
    SetLeverage = 5,
    SetTakeProfitStopLoss = 6,
    Deleverage = 7,
}
