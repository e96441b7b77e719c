using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

public static class PositionViews
{
    /// <summary>The open position marked to <paramref name="mark"/>.</summary>
    public static PositionView View(this IsolatedPositionState p, LegKey leg, decimal mark, RiskBrackets brackets)
    {
        var notional = p.Quantity * mark;
        var pnl = IsolatedMath.UnrealizedPnl(p.Sign, p.Quantity, p.EntryPrice, mark);
        var liquidation = IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin, brackets);
        var (upnl, equity, maintenance) = (Money.Receive(pnl), Money.Receive(p.IsolatedMargin + pnl), Money.Pay(brackets.MaintenanceMargin(notional)));
        return new PositionView(
            leg.Symbol, p.Side, p.Quantity, p.EntryPrice, p.Leverage, p.IsolatedMargin, mark, notional,
            upnl,
            equity,
            IsolatedMath.InitialMargin(p.Quantity, mark, p.Leverage),
            maintenance,
            Money.Price(liquidation),
            Money.Price(IsolatedMath.BankruptcyPrice(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin)),
            IsolatedMath.MaxRemovable(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin, p.Leverage, mark, brackets),
            MarginMode.Isolated,
            p.TakeProfit,
            p.StopLoss,
            leg.Side,
            PositionFigures.RoePercent(upnl, p.Quantity, p.EntryPrice, p.Leverage),
            MarginCall.Ratio(maintenance, equity),
            PositionFigures.MaxOpenableNotional(brackets, p.Leverage, notional));
    }
}
