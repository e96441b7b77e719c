using MarginOrleans.Silo;

namespace MarginOrleans.Tests.Accounts;

/// <summary>Accounts and markets built by hand for the account's collaborators, tested without a cluster.</summary>
internal static class CrossAccounts
{
    public static MarketSnapshot Market(string symbol, decimal mark, FundingPoint? funding = null) =>
        new(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets), mark, mark, DateTimeOffset.UnixEpoch, 0, [], 0,
            new FundingView(funding ?? FundingPoint.Zero, 0m, default, 0m));

    public static CrossPosition Long(decimal quantity, decimal entry, int leverage = 10, FundingPoint? funding = null) =>
        new() { Side = PositionSide.Long, Quantity = quantity, EntryPrice = entry, Leverage = leverage, Funding = funding };

    public static CrossPosition Short(decimal quantity, decimal entry, int leverage = 10, FundingPoint? funding = null) =>
        Long(quantity, entry, leverage, funding).With(PositionSide.Short);

    private static CrossPosition With(this CrossPosition p, PositionSide side)
    {
        p.Side = side;
        return p;
    }

    public static Dictionary<string, MarketSnapshot> MarketsOf(params MarketSnapshot[] markets) => markets.ToDictionary(m => m.Spec.Symbol);

    /// <summary>A clock that always reads one instant.</summary>
    public sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
