using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>Input checks that need only the market's parameters, in the order of <see cref="Rejection"/>.</summary>
public static class OrderChecks
{
    public static Rejected Quantity(decimal quantity, MarketSpec spec)
    {
        if (quantity <= 0)
        {
            return new(Rejection.QuantityNotPositive, $"quantity {quantity} must be positive");
        }

        return quantity > Money.Max || !Money.IsMultipleOf(quantity, spec.LotSize)
            ? new(Rejection.QuantityNotMultipleOfLot, $"quantity {quantity} must be a multiple of the lot size {spec.LotSize}")
            : Rejected.Ok;
    }

    public static Rejected Price(decimal? price, MarketSpec spec, string field = "price") =>
        price is { } p && (p <= 0 || p > Money.Max || !Money.IsMultipleOf(p, spec.TickSize))
            ? new(Rejection.PriceNotMultipleOfTick, $"{field} {p} must be a positive multiple of the tick size {spec.TickSize}")
            : Rejected.Ok;

    public static Rejected Leverage(int leverage, MarketSpec spec) =>
        leverage < 1 || leverage > spec.LeverageMax
            ? new(Rejection.LeverageOutOfRange, $"leverage {leverage} must be from 1 to {spec.LeverageMax}")
            : Rejected.Ok;

    public static Rejected Amount(decimal amount)
    {
        if (amount <= 0 || amount > Money.Max)
        {
            return new(Rejection.AmountNotPositive, $"amount {amount} must be positive and at most {Money.Max}");
        }

        return Money.HasSettlementPrecision(amount)
            ? Rejected.Ok
            : new(Rejection.AmountTooPrecise, $"amount {amount} has more than {Money.Decimals} decimals");
    }

    public static Rejected FirstFailure(params Rejected[] checks) => checks.FirstOrDefault(c => !c.IsOk) ?? Rejected.Ok;
}
