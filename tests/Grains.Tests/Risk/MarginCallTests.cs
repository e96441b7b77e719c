using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>One margin ratio and one call for cross and isolated: MM over what backs it, called at 80 %.</summary>
public sealed class MarginCallTests
{
    [Theory]
    [InlineData("80", "100", "0.8", true)]
    [InlineData("79.99", "100", "0.7999", false)]
    [InlineData("1799.1", "2000.1", "0.899505", true)] // to 6 places
    [InlineData("100", "0", "1", true)]                 // nothing backs it: at liquidation
    [InlineData("100", "-5", "1", true)]
    public void Ratio_IsMaintenanceOverBacking_CalledFromEightyPercent(string maintenance, string backing, string ratio, bool called)
    {
        var r = MarginCall.Ratio(decimal.Parse(maintenance, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(backing, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture), called), (r, MarginCall.IsCalled(r)));
    }
}
