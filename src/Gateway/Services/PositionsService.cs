using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Positions;

namespace MarginOrleans.Gateway.Services;

public sealed class PositionsService(Callers callers, KnownMarkets markets, TimeProvider time) : Api.V1.Positions.PositionsBase
{
    public override async Task<Api.V1.PositionPreview> PreviewPosition(PreviewPositionRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var order = new OpenOrder(await markets.Require(request.Symbol), Fields.Side(request.Side), Fields.Decimal(request.Quantity, "quantity"),
            request.Leverage == 0 ? null : request.Leverage, null, LegSide: Fields.Leg(request.PositionSide));
        var p = await account.PreviewPosition(order);
        return new Api.V1.PositionPreview
        {
            FillPrice = Text.Of(p.FillPrice), Notional = Text.Of(p.Notional), Leverage = p.Leverage,
            InitialMargin = Text.Of(p.InitialMargin), MaintenanceMargin = Text.Of(p.MaintenanceMargin), Fee = Text.Of(p.Fee),
            LiquidationPrice = Text.Of(p.LiquidationPrice), BankruptcyPrice = Text.Of(p.BankruptcyPrice),
        }.OrThrow(p.Result);
    }

    public override async Task<CommandReply> OpenPosition(OpenPositionRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var order = new OpenOrder(await markets.Require(request.Symbol), Fields.Side(request.Side), Fields.Decimal(request.Quantity, "quantity"),
            request.Leverage == 0 ? null : request.Leverage, Fields.OptionalDecimal(request.LimitPrice, "limit_price"),
            Fields.OptionalDecimal(request.TakeProfitPrice, "take_profit_price"), Fields.OptionalDecimal(request.StopLossPrice, "stop_loss_price"),
            Fields.Leg(request.PositionSide), request.ReduceOnly);
        var requestId = Fields.RequestId(request.RequestId);
        var result = await HeldOpens.Send(() => account.OpenPosition(requestId, order), time, context.CancellationToken);
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> ClosePosition(ClosePositionRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.ClosePosition(Fields.RequestId(request.RequestId), new LegKey(await markets.Require(request.Symbol), Fields.Leg(request.PositionSide)),
            Fields.OptionalDecimal(request.Quantity, "quantity"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> SetTakeProfitStopLoss(SetTakeProfitStopLossRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.SetTakeProfitStopLoss(Fields.RequestId(request.RequestId), new LegKey(await markets.Require(request.Symbol), Fields.Leg(request.PositionSide)),
            Fields.OptionalDecimal(request.TakeProfitPrice, "take_profit_price"), Fields.OptionalDecimal(request.StopLossPrice, "stop_loss_price"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> AddMargin(MarginRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.AddMargin(Fields.RequestId(request.RequestId), await Leg(request), Fields.Decimal(request.Amount, "amount"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> RemoveMargin(MarginRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.RemoveMargin(Fields.RequestId(request.RequestId), await Leg(request), Fields.Decimal(request.Amount, "amount"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<Position> GetPosition(GetPositionRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context, request.AccountId);
        var leg = new LegKey(await markets.Require(request.Symbol), Fields.Leg(request.PositionSide));
        var position = await account.GetPosition(leg) ?? throw (await account.GetAccount() is { } held && PositionModes.Fits(held.PositionMode, leg) is { IsOk: false } mismatch
            ? mismatch // a leg the account's mode never holds: say so, not merely that it is empty
            : new Rejected(Rejection.NoOpenPosition, $"no open position on {leg}")).ToException();
        var reply = ToApi.Position(position);
        reply.AdlQuantile = await account.GetDeleverageQuantile(leg);
        return reply;
    }

    private async Task<LegKey> Leg(MarginRequest request) => new(await markets.Require(request.Symbol), Fields.Leg(request.PositionSide));

    public override async Task<ListPositionsReply> ListPositions(ListPositionsRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var reply = new ListPositionsReply();
        reply.Positions.AddRange(((await account.GetAccount())?.Positions ?? []).Select(ToApi.Position));
        return reply;
    }
}
