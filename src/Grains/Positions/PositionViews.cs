using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Positions;

public static class PositionViews
{
    /// <summary>The open position marked to <paramref name="mark"/>; a close would pay <paramref name="takerFeeRate"/>.</summary>
    public static PositionView View(this IsolatedPositionState position, LegKey leg, decimal mark, RiskBrackets brackets, decimal takerFeeRate)
    {
        var notional = position.Quantity * mark;
        var pnl = IsolatedMath.UnrealizedPnl(position.Sign, position.Quantity, position.EntryPrice, mark);
        var liquidation = IsolatedMath.LiquidationPrice(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin, brackets);
        var (upnl, equity, maintenance) = (Money.Receive(pnl), Money.Receive(position.IsolatedMargin + pnl), Money.Pay(brackets.MaintenanceMargin(notional)));
        return new PositionView(
            leg.Symbol, position.Side, position.Quantity, position.EntryPrice, position.Leverage, position.IsolatedMargin, mark, notional,
            upnl,
            equity,
            IsolatedMath.InitialMargin(position.Quantity, mark, position.Leverage),
            maintenance,
            Money.Price(liquidation),
            Money.Price(IsolatedMath.BankruptcyPrice(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin)),
            IsolatedMath.MaxRemovable(position.Sign, position.Quantity, position.EntryPrice, position.IsolatedMargin, position.Leverage, mark, brackets),
            MarginMode.Isolated,
            position.TakeProfit,
            position.StopLoss,
            leg.Side,
            PositionFigures.RoePercent(upnl, position.Quantity, position.EntryPrice, position.Leverage),
            MarginCall.Ratio(maintenance, equity),
            PositionFigures.MaxOpenableNotional(brackets, position.Leverage, notional),
            position.FundingSinceOpen,
            position.FeesSinceOpen,
            PositionFigures.BreakEvenPrice(position.Sign, position.Quantity, position.EntryPrice, position.FeesSinceOpen, position.FundingSinceOpen, takerFeeRate));
    }
}
