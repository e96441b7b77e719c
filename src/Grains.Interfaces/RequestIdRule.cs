namespace MarginOrleans;

/// <summary>
/// Which answers a request id keeps, as payment APIs decide it: a request that was checked against
/// the account keeps its id and its answer, accepted or refused — a retry gets the same answer and
/// the id cannot be reused for other arguments. A request refused before it reached the account
/// (a malformed field, an unknown symbol or account, no mark yet) keeps nothing: fixed, it may be
/// sent again under the same id. So does one refused while the market works off its liquidations:
/// that passes by itself, and the same request then goes through. An order's close that found the mark back (the engine's own id,
/// named after the order and the position's last command) keeps nothing either: the next crossing
/// must be able to close under the same id. Refusals that clear by themselves (a stale mark,
/// liquidations being worked off) keep nothing: the same request goes through once they have.
/// </summary>
public static class RequestIdRule
{
    public static bool KeepsRequestId(this Rejected result) => result.Reason switch
    {
        Rejection.QuantityNotPositive or Rejection.QuantityNotMultipleOfLot or Rejection.PriceNotMultipleOfTick
            or Rejection.LeverageOutOfRange or Rejection.AmountNotPositive or Rejection.AmountTooPrecise
            or Rejection.MarketSpecInvalid or Rejection.FundsMustDiffer or Rejection.CallbackRateOutOfRange
            or Rejection.OrderFieldsInvalid or Rejection.GoodTillPassed
            or Rejection.SymbolUnknown or Rejection.AccountUnknown or Rejection.MarkPriceMissing
            or Rejection.RequestIdReused or Rejection.CommandCancelled or Rejection.TriggerNotCrossed or Rejection.MarkPriceStale
            or Rejection.LiquidationsPending => false,
        _ => true,
    };
}
