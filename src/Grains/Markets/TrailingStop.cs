namespace MarginOrleans.Markets;

/// <summary>
/// One trailing stop as stored: the owner it wakes, the position side it protects (a long is
/// protected by a SELL stop that follows the highest mark, a short by a BUY stop that follows the
/// lowest), its callback rate in percent (0.1 to 10, step 0.1), the optional activation price, and
/// the peak so far: the best mark since activation, null while the stop waits for its activation price.
/// </summary>
public sealed record TrailingStop(string Owner, PositionSide Protects, decimal CallbackRate, decimal? ActivationPrice, decimal? Peak);
