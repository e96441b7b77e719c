using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

/// <summary>Which trigger an isolated position needs, and in which order a change must be published.</summary>
public static class TriggerPlan
{
    /// <summary>
    /// The liquidation trigger, rounded toward the mark so it fires no later than the exact price:
    /// a long's up, a short's down. Null when flat or when a long can never be liquidated.
    /// </summary>
    public static TriggerEntry? For(IsolatedPositionState position, TriggerKey key, RiskBrackets brackets)
    {
        if (!position.IsOpen || IsolatedMath.LiquidationPrice(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin, brackets) is not { } price)
        {
            return null;
        }

        var standing = new PositionStanding(position.Quantity, position.EntryPrice, IsolatedMath.BankruptcyPrice(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin));
        return Entry(key, position.Side, price, position.Funding?.FrameOf(position.Side) ?? 0m, standing);
    }

    /// <summary>
    /// A trigger for an adverse move of <paramref name="side"/> to <paramref name="price"/>, rounded
    /// toward the mark; <paramref name="frame"/> is the funding shift the price was computed under,
    /// <paramref name="standing"/> what the auto-deleveraging ranking reads (liquidation triggers only).
    /// </summary>
    public static TriggerEntry Entry(TriggerKey key, PositionSide side, decimal price, decimal frame = 0m, PositionStanding? standing = null) => side == PositionSide.Long
        ? new TriggerEntry(key, TriggerDirection.AtOrBelow, Money.Pay(price), frame, standing)
        : new TriggerEntry(key, TriggerDirection.AtOrAbove, Money.Receive(price), frame, standing);

    /// <summary>
    /// True when <paramref name="next"/> fires at every mark <paramref name="current"/> fires at.
    /// Such a trigger is published before the state is written and any other after it, so a
    /// crash in between leaves the earlier-firing one in the index: early, never late.
    /// </summary>
    public static bool FiresNoLater(TriggerEntry? next, TriggerEntry? current)
    {
        if (current is null)
        {
            return true;
        }

        if (next is null || next.Direction != current.Direction)
        {
            return false;
        }

        // Compared as the index holds them, relative to funding shift zero.
        return next.Direction == TriggerDirection.AtOrBelow
            ? next.Price - next.Frame >= current.Price - current.Frame
            : next.Price + next.Frame <= current.Price + current.Frame;
    }
}
