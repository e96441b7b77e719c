using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>The one place where a grain's rejection reason becomes a gRPC status.</summary>
public static class Rejections
{
    public static StatusCode Code(Rejection reason) => reason switch
    {
        Rejection.SymbolUnknown or Rejection.AccountUnknown or Rejection.NoOpenPosition or Rejection.OrderUnknown => StatusCode.NotFound,
        Rejection.QuantityNotPositive or Rejection.QuantityNotMultipleOfLot or Rejection.PriceNotMultipleOfTick
            or Rejection.LeverageOutOfRange or Rejection.LeverageExceedsBracketMax or Rejection.NotionalExceedsLastBracket
            or Rejection.AmountNotPositive or Rejection.AmountTooPrecise or Rejection.MarketSpecInvalid
            or Rejection.CloseExceedsPosition or Rejection.FundsMustDiffer or Rejection.CallbackRateOutOfRange
            or Rejection.OrderFieldsInvalid or Rejection.GoodTillPassed => StatusCode.InvalidArgument,
        Rejection.AccountExists or Rejection.MarketExists or Rejection.RequestIdReused => StatusCode.AlreadyExists,
        Rejection.CommandCancelled => StatusCode.Aborted,
        Rejection.LiquidationsPending => StatusCode.Unavailable,
        _ => StatusCode.FailedPrecondition,
    };

    /// <summary>Throws the status of a rejected result; returns an accepted one.</summary>
    public static T OrThrow<T>(this T value, Rejected result) => result.IsOk ? value : throw result.ToException();

    public static RpcException ToException(this Rejected result)
    {
        GatewayMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("reason", result.Reason.ToString()));
        return ErrorDetails.Exception(Code(result.Reason), $"{result.Reason}: {result.Detail}", result.Reason.ToString());
    }
}
