using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Funding;

/// <summary>F = P + clamp(I − P, −0.05%, +0.05%), I = 0.01%, within the cap; the payment; and the funding times.</summary>
public sealed class FundingMathTests
{
    private const decimal Interest = 0.0001m;
    private const decimal Clamp = 0.0005m;
    private const decimal Cap = 0.003m; // 0.75 × 0.4%

    [Theory]
    [InlineData("0.0003", "0.0001")]
    [InlineData("0.0010", "0.0005")]
    [InlineData("-0.0010", "-0.0005")]
    [InlineData("0.00005", "0.0001")]
    [InlineData("0.0100", "0.003")]   // 1% premium: the clamp gives 0.95%, the cap 0.3%
    public void Rate_IsThePremiumPlusTheClampedInterestGap_WithinTheCap(string premium, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            FundingMath.Rate(decimal.Parse(premium, System.Globalization.CultureInfo.InvariantCulture), Interest, Clamp, Cap));

    [Fact]
    public void OneBtcLong_AtMark60000_WithRate001Percent_Pays6_AndTheShortReceives6()
    {
        var index = 0.0001m * 60_000m;
        Assert.Equal(6m, FundingMath.Owed(+1, 1m, index, 0m));
        Assert.Equal(-6m, FundingMath.Owed(-1, 1m, index, 0m));
    }

    [Theory]
    [InlineData("2026-11-25T07:59:59Z", "2026-11-25T08:00:00Z")]
    [InlineData("2026-11-25T08:00:00Z", "2026-11-25T16:00:00Z")] // strictly after: a funding time is paid once
    [InlineData("2026-11-25T23:00:00Z", "2026-11-26T00:00:00Z")]
    public void EightHourFundingTimes_Are0008And16Utc(string now, string next) =>
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            FundingMath.Next(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(8)));
}
