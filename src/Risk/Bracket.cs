namespace MarginOrleans.Risk;

/// <summary>One risk tier: notional in [floor, cap) pays MM = notional × rate − amount (amount derived by <see cref="RiskBrackets"/>).</summary>
public sealed record Bracket(
    decimal NotionalFloor,
    decimal NotionalCap,
    decimal MaintenanceMarginRate,
    int LeverageMax,
    decimal MaintenanceAmount)
{
    public bool Holds(decimal notional) => notional >= NotionalFloor && notional < NotionalCap;

    public decimal MaintenanceMargin(decimal notional) => notional * MaintenanceMarginRate - MaintenanceAmount;
}
