using Grpc.Core;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Orders;

namespace MarginOrleans.Gateway.Services;

public sealed class OrdersService(Callers callers, KnownMarkets markets) : Api.V1.Orders.OrdersBase
{
    public override async Task<CommandReply> PlaceOrder(PlaceOrderRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var closes = request.ClosePosition;
        var order = new ConditionalOrder(OrderFields.Type(request.Type), await markets.Require(request.Symbol), Fields.Side(request.Side),
            closes && request.Quantity.Length == 0 ? 0m : Fields.Decimal(request.Quantity, "quantity"),
            Fields.OptionalDecimal(request.TriggerPrice, "trigger_price"), closes, request.ReduceOnly, Fields.Leg(request.PositionSide),
            Fields.OptionalDecimal(request.CallbackRate, "callback_rate"), Fields.OptionalDecimal(request.ActivationPrice, "activation_price"),
            OrderFields.GoodTill(request.GoodTill), request.Leverage == 0 ? null : request.Leverage);
        var result = await account.PlaceOrder(Fields.RequestId(request.RequestId), order);
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> AmendOrder(AmendOrderRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var amendment = new OrderAmendment(Fields.OptionalDecimal(request.TriggerPrice, "trigger_price"), Fields.OptionalDecimal(request.Quantity, "quantity"),
            Fields.OptionalDecimal(request.CallbackRate, "callback_rate"), Fields.OptionalDecimal(request.ActivationPrice, "activation_price"),
            OrderFields.GoodTill(request.GoodTill));
        var result = await account.AmendOrder(Fields.RequestId(request.RequestId), OrderFields.Id(request.OrderId), amendment);
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> CancelOrder(CancelOrderRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.CancelOrder(Fields.RequestId(request.RequestId), OrderFields.Id(request.OrderId));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<ListOrdersReply> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var reply = new ListOrdersReply();
        reply.Orders.AddRange((await account.ListOrders()).Select(ToApi.Order));
        return reply;
    }
}
