namespace MarginOrleans.Markets;

/// <summary>
/// A trailing stop the mark reached: its peak, its stop price (peak × (1 − rate) protecting a
/// long, peak × (1 + rate) protecting a short, exact) and the mark that crossed it, the price it fires at.
/// </summary>
public sealed record TrailingStopFired(string Owner, PositionSide Protects, decimal Peak, decimal StopPrice, decimal Mark);
