namespace MarginOrleans.Risk;

/// <summary>One cross position marked to its market's mark price.</summary>
public sealed record CrossLeg(int Sign, decimal Quantity, decimal Entry, decimal Mark, int Leverage, RiskBrackets Brackets)
{
    public decimal Notional => Quantity * Mark;

    public decimal UnrealizedPnl => IsolatedMath.UnrealizedPnl(Sign, Quantity, Entry, Mark);

    public decimal MaintenanceMargin => Brackets.MaintenanceMargin(Notional);

    /// <summary>IM at the mark, exact; what counts against the available balance.</summary>
    public decimal InitialMargin => Notional / Leverage;
}
