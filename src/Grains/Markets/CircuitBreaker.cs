namespace MarginOrleans.Markets;

/// <summary>
/// A market's guard against a fat-finger price (issue 8 §4): a mark more than the market's
/// <see cref="MarketSpec.CircuitBreaker"/> away from the last one is held, not applied — it moves
/// nothing and liquidates nobody — until a second price confirms it (one within the breaker of the
/// held mark, from the feed or an operator). A price near the last mark clears the hold: the jump
/// was an error. A real crash costs one tick of delay.
/// </summary>
public static class CircuitBreaker
{
    /// <summary>True when <paramref name="mark"/> is to be held rather than applied; keeps the market's held mark current.</summary>
    public static bool Holds(MarketSpec spec, MarketState market, decimal mark)
    {
        if (spec.CircuitBreaker is not > 0m || market.MarkPrice <= 0m)
        {
            return false;
        }

        var breaker = spec.CircuitBreaker.Value;
        if ((market.HeldMark is { } held && Within(mark, held, breaker)) || Within(mark, market.MarkPrice, breaker))
        {
            market.HeldMark = null; // confirmed, or an ordinary tick
            return false;
        }

        market.HeldMark = mark;
        return true;
    }

    private static bool Within(decimal price, decimal reference, decimal fraction) => Math.Abs(price - reference) <= reference * fraction;
}
