namespace MarginOrleans.Risk;

/// <summary>
/// Funding (docs/margin-math.md, Funding), settled lazily through a cumulative index (dYdX): the market adds
/// <c>F × mark</c> per unit of position at each funding time; a position owes
/// <c>sign × |Q| × (index now − index when it last settled)</c>, positive when it pays. No rounding:
/// quantities, marks and rates are short decimals, so the products are exact and settling once
/// equals settling at every funding time.
/// </summary>
public static class FundingMath
{
    /// <summary>Rates are published to this many places.</summary>
    public const int RateDecimals = 8;

    /// <summary><c>F = P + clamp(I − P, −clamp, +clamp)</c>, then within ±cap.</summary>
    public static decimal Rate(decimal premium, decimal interest, decimal clamp, decimal cap)
    {
        var rate = premium + Math.Clamp(interest - premium, -clamp, clamp);
        return Math.Round(Math.Clamp(rate, -cap, cap), RateDecimals, MidpointRounding.ToZero);
    }

    /// <summary>What a position owes since its last settlement: positive it pays, negative it receives.</summary>
    public static decimal Owed(int sign, decimal quantity, decimal indexNow, decimal indexAtSettlement) =>
        sign * quantity * (indexNow - indexAtSettlement);

    /// <summary>
    /// How far one funding time of <paramref name="paidPerUnit"/> (<c>F × mark</c>) moves liquidation
    /// prices, at most, whatever the position's size: a long that pays loses <c>|Q| × paid</c> of
    /// margin, which lifts its price by <c>paid / (1 − MMR)</c>, taken at the largest MMR; a short that
    /// pays sees its price fall by <c>paid / (1 + MMR)</c> ≤ <c>paid</c>. Rounded up: early, never late.
    /// </summary>
    public static (decimal Longs, decimal Shorts) Shifts(decimal paidPerUnit, decimal mmrMax) =>
        (Money.Pay(Math.Max(0m, paidPerUnit) / (1m - mmrMax)), Money.Pay(Math.Max(0m, -paidPerUnit)));

    /// <summary>The first funding time strictly after <paramref name="now"/>: whole intervals since the epoch.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeSpan interval)
    {
        var elapsed = (now - DateTimeOffset.UnixEpoch).Ticks;
        return DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((elapsed / interval.Ticks + 1) * interval.Ticks);
    }
}
