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

    public static Position Position(PositionView view) => new()
    {
        Symbol = view.Symbol, Side = Side(view.Side), Quantity = Text.Of(view.Quantity), EntryPrice = Text.Of(view.EntryPrice),
        Leverage = view.Leverage, IsolatedMargin = Text.Of(view.IsolatedMargin), MarkPrice = Text.Of(view.MarkPrice),
        Notional = Text.Of(view.Notional), UnrealizedPnl = Text.Of(view.UnrealizedPnl), Equity = Text.Of(view.Equity),
        InitialMargin = Text.Of(view.InitialMargin), MaintenanceMargin = Text.Of(view.MaintenanceMargin),
        LiquidationPrice = Text.Of(view.LiquidationPrice), BankruptcyPrice = Text.Of(view.BankruptcyPrice),
        MaxRemovable = Text.Of(view.MaxRemovable), MarginMode = Mode(view.Mode),
        TakeProfitPrice = Text.Of(view.TakeProfit), StopLossPrice = Text.Of(view.StopLoss), PositionSide = Leg(view.LegSide),
        RoePercent = Text.Of(view.RoePercent), MarginRatio = Text.Of(view.MarginRatio), MaxOpenableNotional = Text.Of(view.MaxOpenableNotional),
        FundingSinceOpen = Text.Of(view.FundingSinceOpen), FeesSinceOpen = Text.Of(view.FeesSinceOpen), BreakEvenPrice = Text.Of(view.BreakEvenPrice),
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

    public static CommandReply Reply(CommandResult result)
    {
        var reply = new CommandReply
        {
            WalletBalance = Text.Of(result.WalletBalance), RealizedPnl = Text.Of(result.RealizedPnl),
            Fee = Text.Of(result.Fee), FillPrice = Text.Of(result.FillPrice), Note = result.Note, OrderId = result.OrderId,
        };
        if (result.Position is { } position)
        {
            reply.Position = Position(position);
        }

        return reply;
    }

    public static Market Market(MarketSnapshot snapshot)
    {
        var market = new Market
        {
            Symbol = snapshot.Spec.Symbol, TickSize = Text.Of(snapshot.Spec.TickSize), LotSize = Text.Of(snapshot.Spec.LotSize),
            TakerFeeRate = Text.Of(snapshot.Spec.TakerFeeRate), LeverageMax = snapshot.Spec.LeverageMax,
            MarkPrice = Text.Of(snapshot.MarkPrice), IndexPrice = Text.Of(snapshot.IndexPrice),
            MarkTime = snapshot.HasMark ? Text.Of(snapshot.MarkTime) : "", OpenTriggers = snapshot.TriggerCount, TriggerShardsUnheard = snapshot.ShardsUnheard, LiquidationBacklog = snapshot.Backlog,
            FundingRateEstimate = Text.Of(snapshot.Funding.EstimatedRate), NextFundingTime = snapshot.Funding.Next == default ? "" : Text.Of(snapshot.Funding.Next),
            LastFundingRate = Text.Of(snapshot.Funding.LastRate), Stale = snapshot.Stale, HeldMark = Text.Of(snapshot.HeldMark),
        };
        market.Brackets.AddRange(snapshot.Brackets.Select(Bracket));
        return market;
    }

    public static Account Account(AccountView view)
    {
        var account = new Account
        {
            AccountId = view.AccountId, WalletBalance = Text.Of(view.WalletBalance), Available = Text.Of(view.Available),
            IsolatedMargin = Text.Of(view.IsolatedMargin), UnrealizedPnl = Text.Of(view.UnrealizedPnl), Equity = Text.Of(view.Equity),
            MarginBalance = Text.Of(view.MarginBalance), MaintenanceMargin = Text.Of(view.MaintenanceMargin), MarginRatio = Text.Of(view.MarginRatio),
            MaxWithdrawal = Text.Of(view.MaxWithdrawal), LeverageCap = view.LeverageCap, JournalSequence = view.JournalSequence,
            PositionMode = PositionMode(view.PositionMode),
        };
        account.Leverage.Add(view.Leverage.ToDictionary());
        account.MarginModes.Add(view.MarginModes.ToDictionary(m => m.Key, m => Mode(m.Value)));
        account.Positions.AddRange(view.Positions.Select(Position));
        return account;
    }

    public static V1.JournalEntry Journal(Accounts.JournalEntry entry) => new()
    {
        Sequence = entry.Sequence, Time = Text.Of(entry.Time), Kind = entry.Kind.ToString(), Symbol = entry.Symbol,
        Quantity = Text.Of(entry.Quantity), Price = Text.Of(entry.Price), WalletDelta = Text.Of(entry.WalletDelta),
        RealizedPnl = Text.Of(entry.RealizedPnl), Fee = Text.Of(entry.Fee), WalletBalance = Text.Of(entry.WalletBalance),
        RequestId = entry.RequestId, Leverage = entry.Leverage ?? 0, MarginMode = entry.MarginMode is { } mode ? Mode(mode) : V1.MarginMode.Unspecified,
        LeverageCap = entry.LeverageCap ?? 0, Fund = entry.Fund ?? "",
        PositionSide = entry.Symbol.Length == 0 ? V1.PositionSide.Unspecified : Leg(entry.LegSide),
        PositionMode = entry.PositionMode is { } positionMode ? PositionMode(positionMode) : V1.PositionMode.Unspecified,
        OrderId = entry.OrderId ?? 0, Note = entry.Note ?? "",
    };

    public static V1.Order Order(Orders.PlacedOrder placed)
    {
        var order = placed.Order;
        return new V1.Order
        {
            OrderId = placed.OrderId, Type = order.Type switch
            {
                Orders.OrderType.StopMarket => V1.OrderType.StopMarket,
                Orders.OrderType.TakeProfitMarket => V1.OrderType.TakeProfitMarket,
                _ => V1.OrderType.TrailingStopMarket,
            },
            Symbol = order.Symbol, Side = Side(order.Side), Quantity = Text.Of(order.Quantity), TriggerPrice = Text.Of(order.TriggerPrice),
            ClosePosition = order.ClosePosition, ReduceOnly = order.ReduceOnly, PositionSide = Leg(order.LegSide),
            CallbackRate = Text.Of(order.CallbackRate), ActivationPrice = Text.Of(order.ActivationPrice),
            GoodTill = order.GoodTill is { } till ? Text.Of(till) : "", Leverage = order.Leverage ?? 0,
            PlacedAt = Text.Of(placed.PlacedAt), RequestId = placed.RequestId,
        };
    }

    private static V1.Bracket Bracket(BracketView bracket) => new()
    {
        NotionalFloor = Text.Of(bracket.NotionalFloor), NotionalCap = Text.Of(bracket.NotionalCap),
        MaintenanceMarginRate = Text.Of(bracket.MaintenanceMarginRate), LeverageMax = bracket.LeverageMax,
        MaintenanceAmount = Text.Of(bracket.MaintenanceAmount),
    };
}
