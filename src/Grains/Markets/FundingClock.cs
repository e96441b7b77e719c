using MarginOrleans.Risk;

namespace MarginOrleans.Markets;

/// <summary>
/// Advances a market's funding with its published prices: the premium of each price is averaged
/// over the time it was in force, and every funding time a price passes is paid at the mark in
/// force then — by moving the cumulative index, O(1), whatever the number of positions.
/// </summary>
public static class FundingClock
{
    private const int HistoryKept = 50;

    /// <summary>Before a new price: accrues the premium in force since the last sample and pays every funding time passed.</summary>
    public static void Advance(FundingState funding, MarketSpec spec, decimal mark, DateTimeOffset now)
    {
        var interval = spec.FundingOrDefault.Interval;
        if (funding.Next == default)
        {
            (funding.Next, funding.LastSample) = (FundingMath.Next(now, interval), now);
            return;
        }

        while (now >= funding.Next)
        {
            Accrue(funding, funding.Next);
            var rate = Rate(funding, spec);
            Pay(funding, spec, rate, mark);
            funding.History.Add(new FundingEvent(funding.Next, rate, mark, funding.Cumulative));
            if (funding.History.Count > HistoryKept)
            {
                funding.History.RemoveAt(0);
            }

            (funding.PremiumSeconds, funding.SampledSeconds) = (0m, 0m);
            funding.Next += interval;
        }

        Accrue(funding, now);
    }

    /// <summary>After a new price: its premium <c>(mark − index) / index</c> is the one in force from now on.</summary>
    public static void Sample(FundingState funding, decimal mark, decimal index) => funding.LastPremium = index > 0 ? (mark - index) / index : 0m;

    /// <summary>The rate the next funding time would pay if the premium stayed as it is.</summary>
    public static decimal Estimate(FundingState funding, MarketSpec spec, DateTimeOffset now)
    {
        var seconds = (decimal)Math.Max(0, (now - funding.LastSample).TotalSeconds);
        return Rate(funding.PremiumSeconds + funding.LastPremium * seconds, funding.SampledSeconds + seconds, funding.LastPremium, spec);
    }

    public static FundingView View(FundingState funding, MarketSpec spec, DateTimeOffset now) =>
        new(new FundingPoint(funding.Cumulative, funding.LongShift, funding.ShortShift, funding.Times), Estimate(funding, spec, now), funding.Next, funding.History.Count > 0 ? funding.History[^1].Rate : 0m);

    private static void Accrue(FundingState funding, DateTimeOffset until)
    {
        var seconds = (decimal)Math.Max(0, (until - funding.LastSample).TotalSeconds);
        (funding.PremiumSeconds, funding.SampledSeconds, funding.LastSample) = (funding.PremiumSeconds + funding.LastPremium * seconds, funding.SampledSeconds + seconds, until);
    }

    private static decimal Rate(FundingState funding, MarketSpec spec) => Rate(funding.PremiumSeconds, funding.SampledSeconds, funding.LastPremium, spec);

    private static decimal Rate(decimal premiumSeconds, decimal seconds, decimal lastPremium, MarketSpec spec)
    {
        var funding = spec.FundingOrDefault;
        var premium = seconds > 0 ? premiumSeconds / seconds : lastPremium;
        return FundingMath.Rate(premium, funding.InterestRate, funding.Clamp, funding.CapFactor * spec.Brackets().Tiers[0].MaintenanceMarginRate);
    }

    /// <summary>One funding time: the index moves by <c>F × mark</c>, the trigger shifts by what that does to liquidation prices at most.</summary>
    private static void Pay(FundingState funding, MarketSpec spec, decimal rate, decimal mark)
    {
        var paidPerUnit = rate * mark;
        var (longs, shorts) = FundingMath.Shifts(paidPerUnit, spec.Brackets().Tiers.Max(t => t.MaintenanceMarginRate));
        (funding.Cumulative, funding.LongShift, funding.ShortShift, funding.Times) = (funding.Cumulative + paidPerUnit, funding.LongShift + longs, funding.ShortShift + shorts, funding.Times + 1);
    }
}
