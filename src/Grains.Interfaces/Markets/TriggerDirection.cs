namespace MarginOrleans.Markets;

/// <summary>Which way a mark must cross a trigger price for it to fire.</summary>
[Alias("TriggerDirection")]
public enum TriggerDirection
{
    /// <summary>Fires when mark ≤ price (a long's liquidation).</summary>
    AtOrBelow = 1,

    /// <summary>Fires when mark ≥ price (a short's liquidation).</summary>
    AtOrAbove = 2,
}
