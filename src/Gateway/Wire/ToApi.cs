using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Markets;
using MarginOrleans.Positions;
using V1 = MarginOrleans.Api.V1;

namespace MarginOrleans.Gateway.Wire;

/// <summary>Grain records to API messages.</summary>
public static class ToApi
{
    public static V1.Side Side(Markets.PositionSide side) => side == Markets.PositionSide.Long ? V1.Side.Long : V1.Side.Short;

    public static Position Position(PositionView p) => new()
    {
        Symbol = p.Symbol, Side = Side(p.Side), Quantity = Text.Of(p.Quantity), EntryPrice = Text.Of(p.EntryPrice),
        Leverage = p.Leverage, IsolatedMargin = Text.Of(p.IsolatedMargin), MarkPrice = Text.Of(p.MarkPrice),
        Notional = Text.Of(p.Notional), UnrealizedPnl = Text.Of(p.UnrealizedPnl), Equity = Text.Of(p.Equity),
        InitialMargin = Text.Of(p.InitialMargin), MaintenanceMargin = Text.Of(p.MaintenanceMargin),
        LiquidationPrice = Text.Of(p.LiquidationPrice), BankruptcyPrice = Text.Of(p.BankruptcyPrice),
        MaxRemovable = Text.Of(p.MaxRemovable), MarginMode = Mode(p.Mode),
        TakeProfitPrice = Text.Of(p.TakeProfit), StopLossPrice = Text.Of(p.StopLoss), PositionSide = Leg(p.LegSide),
    };

    public static V1.PositionSide Leg(LegSide side) => side switch
    {
        LegSide.Long => V1.PositionSide.Long,
        LegSide.Short => V1.PositionSide.Short,
        _ => V1.PositionSide.Both,
    };

    public static V1.PositionMode PositionMode(Accounts.PositionMode mode) =>
        mode == Accounts.PositionMode.Hedge ? V1.PositionMode.Hedge : V1.PositionMode.OneWay;

    public static V1.MarginMode Mode(Markets.MarginMode mode) => mode == Markets.MarginMode.Cross ? V1.MarginMode.Cross : V1.MarginMode.Isolated;

    public static CommandReply Reply(CommandResult r)
    {
        var reply = new CommandReply
        {
            WalletBalance = Text.Of(r.WalletBalance), RealizedPnl = Text.Of(r.RealizedPnl),
            Fee = Text.Of(r.Fee), FillPrice = Text.Of(r.FillPrice), Note = r.Note,
        };
        if (r.Position is { } position)
        {
            reply.Position = Position(position);
        }

        return reply;
    }

    public static Market Market(MarketSnapshot m)
    {
        var market = new Market
        {
            Symbol = m.Spec.Symbol, TickSize = Text.Of(m.Spec.TickSize), LotSize = Text.Of(m.Spec.LotSize),
            TakerFeeRate = Text.Of(m.Spec.TakerFeeRate), LeverageMax = m.Spec.LeverageMax,
            MarkPrice = Text.Of(m.MarkPrice), IndexPrice = Text.Of(m.IndexPrice),
            MarkTime = m.HasMark ? Text.Of(m.MarkTime) : "", OpenTriggers = m.TriggerCount, LiquidationBacklog = m.Backlog,
            FundingRateEstimate = Text.Of(m.Funding.EstimatedRate), NextFundingTime = m.Funding.Next == default ? "" : Text.Of(m.Funding.Next),
            LastFundingRate = Text.Of(m.Funding.LastRate), Stale = m.Stale, HeldMark = Text.Of(m.HeldMark),
        };
        market.Brackets.AddRange(m.Brackets.Select(Bracket));
        return market;
    }

    public static Account Account(AccountView a)
    {
        var account = new Account
        {
            AccountId = a.AccountId, WalletBalance = Text.Of(a.WalletBalance), Available = Text.Of(a.Available),
            IsolatedMargin = Text.Of(a.IsolatedMargin), UnrealizedPnl = Text.Of(a.UnrealizedPnl), Equity = Text.Of(a.Equity),
            MarginBalance = Text.Of(a.MarginBalance), MaintenanceMargin = Text.Of(a.MaintenanceMargin), MarginRatio = Text.Of(a.MarginRatio),
            MaxWithdrawal = Text.Of(a.MaxWithdrawal), LeverageCap = a.LeverageCap, JournalSequence = a.JournalSequence,
            PositionMode = PositionMode(a.PositionMode),
        };
        account.Leverage.Add(a.Leverage.ToDictionary());
        account.MarginModes.Add(a.MarginModes.ToDictionary(m => m.Key, m => Mode(m.Value)));
        account.Positions.AddRange(a.Positions.Select(Position));
        return account;
    }

    public static V1.JournalEntry Journal(Accounts.JournalEntry e) => new()
    {
        Sequence = e.Sequence, Time = Text.Of(e.Time), Kind = e.Kind.ToString(), Symbol = e.Symbol,
        Quantity = Text.Of(e.Quantity), Price = Text.Of(e.Price), WalletDelta = Text.Of(e.WalletDelta),
        RealizedPnl = Text.Of(e.RealizedPnl), Fee = Text.Of(e.Fee), WalletBalance = Text.Of(e.WalletBalance),
        RequestId = e.RequestId, Leverage = e.Leverage ?? 0, MarginMode = e.MarginMode is { } mode ? Mode(mode) : V1.MarginMode.Unspecified,
        LeverageCap = e.LeverageCap ?? 0, Fund = e.Fund ?? "",
        PositionSide = e.Symbol.Length == 0 ? V1.PositionSide.Unspecified : Leg(e.LegSide),
        PositionMode = e.PositionMode is { } positionMode ? PositionMode(positionMode) : V1.PositionMode.Unspecified,
    };

    private static V1.Bracket Bracket(BracketView b) => new()
    {
        NotionalFloor = Text.Of(b.NotionalFloor), NotionalCap = Text.Of(b.NotionalCap),
        MaintenanceMarginRate = Text.Of(b.MaintenanceMarginRate), LeverageMax = b.LeverageMax,
        MaintenanceAmount = Text.Of(b.MaintenanceAmount),
    };
}
