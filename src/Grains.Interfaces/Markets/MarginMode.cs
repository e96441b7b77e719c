namespace MarginOrleans.Markets;

/// <summary>How a symbol's position is margined: by its own collateral, or by the account's whole equity.</summary>
[Alias("MarginMode")]
public enum MarginMode
{
    Isolated = 1,
    Cross = 2,
}
