using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// One position as both books hold it — its side, size, entry, leverage and orders — never whose
/// collateral backs it: an isolated position's own margin or a cross account's wallet. A value:
/// every change is a new leg, so a change refused half-way leaves the old one as it was.
/// What the leg cost since it opened — <see cref="FeesSinceOpen"/> and <see cref="FundingSinceOpen"/>
/// — lives here too, so both books keep it by one rule: a partial close keeps both (they are costs of
/// the leg still held), a leg that ends (closed, flipped, liquidated) takes them with it.
/// </summary>
/// <param name="FeesSinceOpen">Every fee the leg paid since it opened: opening, adding, partial closes.</param>
/// <param name="FundingSinceOpen">Funding since the leg opened: received positive, paid negative.</param>
public sealed record Leg(
    PositionSide Side, decimal Quantity, decimal EntryPrice, int Leverage, decimal? TakeProfit = null, decimal? StopLoss = null,
    decimal FeesSinceOpen = 0m, decimal FundingSinceOpen = 0m)
{
    public bool IsOpen => Quantity > 0m;

    public Fills.Held Held => new(Side, Quantity, EntryPrice, Leverage);

    /// <summary>
    /// <paramref name="quantity"/> added at the mark: the entry becomes the weighted average. An
    /// increase keeps the orders the fill does not replace; a new leg starts with only its own.
    /// </summary>
    public Leg Added(PositionSide side, decimal quantity, decimal mark, int leverage, decimal? takeProfit, decimal? stopLoss) => IsOpen
        ? this with
        {
            Quantity = Quantity + quantity,
            EntryPrice = Fills.EntryAfterAdd(Held, quantity, mark),
            Leverage = leverage,
            TakeProfit = takeProfit ?? TakeProfit,
            StopLoss = stopLoss ?? StopLoss,
        }
        : new Leg(side, quantity, mark, leverage, takeProfit, stopLoss);

    /// <summary>
    /// <paramref name="quantity"/> less, however it left (a close, an order, a step-down, auto-deleveraging, a
    /// liquidation). A leg that ends keeps no entry and no orders: an order outliving its position
    /// would be inherited by the next one on the symbol.
    /// </summary>
    public Leg Reduced(decimal quantity) => Quantity > quantity
        ? this with { Quantity = Quantity - quantity }
        : new Leg(Side, 0m, 0m, Leverage);

    /// <summary>A fee the leg paid: charged before a close that ends it, so the next leg starts from none.</summary>
    public Leg Charged(decimal fee) => this with { FeesSinceOpen = FeesSinceOpen + fee };

    /// <summary>A funding settlement of <paramref name="paid"/> (negative: received), the sign the settlers use.</summary>
    public Leg Funded(decimal paid) => this with { FundingSinceOpen = FundingSinceOpen - paid };

    public Leg WithOrders(decimal? takeProfit, decimal? stopLoss) => this with { TakeProfit = takeProfit, StopLoss = stopLoss };
}
