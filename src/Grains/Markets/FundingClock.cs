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
    public static void Advance(FundingState f, MarketSpec spec, decimal mark, DateTimeOffset now)
    {
        var interval = spec.FundingOrDefault.Interval;
        if (f.Next == default)
        {
            (f.Next, f.LastSample) = (FundingMath.Next(now, interval), now);
            return;
        }

        while (now >= f.Next)
        {
            Accrue(f, f.Next);
            var rate = Rate(f, spec);
            Pay(f, spec, rate, mark);
            f.History.Add(new FundingEvent(f.Next, rate, mark, f.Cumulative));
            if (f.History.Count > HistoryKept)
            {
                f.History.RemoveAt(0);
            }

            (f.PremiumSeconds, f.SampledSeconds) = (0m, 0m);
            f.Next += interval;
        }

        Accrue(f, now);
    }

    /// <summary>After a new price: its premium <c>(mark − index) / index</c> is the one in force from now on.</summary>
    public static void Sample(FundingState f, decimal mark, decimal index) => f.LastPremium = index > 0 ? (mark - index) / index : 0m;

    /// <summary>The rate the next funding time would pay if the premium stayed as it is.</summary>
    public static decimal Estimate(FundingState f, MarketSpec spec, DateTimeOffset now)
    {
        var seconds = (decimal)Math.Max(0, (now - f.LastSample).TotalSeconds);
        return Rate(f.PremiumSeconds + f.LastPremium * seconds, f.SampledSeconds + seconds, f.LastPremium, spec);
    }

    public static FundingView View(FundingState f, MarketSpec spec, DateTimeOffset now) =>
        new(new FundingPoint(f.Cumulative, f.LongShift, f.ShortShift, f.Times), Estimate(f, spec, now), f.Next, f.History.Count > 0 ? f.History[^1].Rate : 0m);

    private static void Accrue(FundingState f, DateTimeOffset until)
    {
        var seconds = (decimal)Math.Max(0, (until - f.LastSample).TotalSeconds);
        (f.PremiumSeconds, f.SampledSeconds, f.LastSample) = (f.PremiumSeconds + f.LastPremium * seconds, f.SampledSeconds + seconds, until);
    }

    private static decimal Rate(FundingState f, MarketSpec spec) => Rate(f.PremiumSeconds, f.SampledSeconds, f.LastPremium, spec);

    private static decimal Rate(decimal premiumSeconds, decimal seconds, decimal lastPremium, MarketSpec spec)
    {
        var funding = spec.FundingOrDefault;
        var premium = seconds > 0 ? premiumSeconds / seconds : lastPremium;
        return FundingMath.Rate(premium, funding.InterestRate, funding.Clamp, funding.CapFactor * spec.Brackets().Tiers[0].MaintenanceMarginRate);
    }

    /// <summary>One funding time: the index moves by <c>F × mark</c>, the trigger shifts by what that does to liquidation prices at most.</summary>
    private static void Pay(FundingState f, MarketSpec spec, decimal rate, decimal mark)
    {
        var paidPerUnit = rate * mark;
        var (longs, shorts) = FundingMath.Shifts(paidPerUnit, spec.Brackets().Tiers.Max(t => t.MaintenanceMarginRate));
        (f.Cumulative, f.LongShift, f.ShortShift, f.Times) = (f.Cumulative + paidPerUnit, f.LongShift + longs, f.ShortShift + shorts, f.Times + 1);
    }
}
