namespace MarginOrleans.Markets;

/// <summary>
/// A market's guard against a fat-finger price: a mark more than the market's
/// <see cref="MarketSpec.CircuitBreaker"/> away from the last one is held, not applied — it moves
/// nothing and liquidates nobody — until a second price confirms it (one within the breaker of the
/// held mark, or any second price beyond the breaker on the same side — a crash that keeps falling).
/// A price near the last mark clears the hold: the jump was an error. A real crash costs one tick.
/// </summary>
public static class CircuitBreaker
{
    /// <summary>True when <paramref name="mark"/> is to be held rather than applied; keeps the market's held mark current.</summary>
    public static bool Holds(MarketSpec spec, MarketState market, decimal mark)
    {
        if (spec.CircuitBreaker is not > 0m || market.MarkPrice <= 0m)
        {
            market.HeldMark = null; // a hold left from before the breaker was turned off confirms nothing later
            return false;
        }

        var breaker = spec.CircuitBreaker.Value;
        var last = market.MarkPrice;
        var confirms = market.HeldMark is { } held && (Within(mark, held, breaker) || Math.Sign(mark - last) == Math.Sign(held - last) && !Within(mark, last, breaker));
        if (confirms || Within(mark, last, breaker))
        {
            market.HeldMark = null; // a second price on the held side (a crash keeps falling), or an ordinary tick
            return false;
        }

        market.HeldMark = mark;
        return true;
    }

    private static bool Within(decimal price, decimal reference, decimal fraction) => Math.Abs(price - reference) <= reference * fraction;
}
