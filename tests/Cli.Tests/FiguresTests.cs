using MarginOrleans.Api.V1;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>One formatting rule per kind of figure, the same in every command.</summary>
public sealed class FiguresTests
{
    private readonly Figures figures = new(new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase) { ["BTC-USDT"] = 0.1m, ["SOL-USDT"] = 0.010m, ["DOGE-USDT"] = 5m });

    [Theory]
    [InlineData("1000", "1000.00")]
    [InlineData("0.5", "0.50")]
    [InlineData("-12.34567891", "-12.34567891")]
    [InlineData("7.123456789", "7.12345679")] // more than 8 places: rounded to 8
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("2.10000000", "2.10")]
    [InlineData("", "")]
    public void Money_HasTwoToEightPlaces(string api, string shown) => Assert.Equal(shown, Figures.Money(api));

    [Theory]
    [InlineData("BTC-USDT", "60000", "60000.0")]
    [InlineData("btc-usdt", "20123.45", "20123.5")]  // the nearest tick (half away from zero); the symbol in any case
    [InlineData("SOL-USDT", "150.0049", "150.00")]    // the tick's places, trailing zeros of the tick itself ignored
    [InlineData("DOGE-USDT", "112", "110")]
    [InlineData("BTC-USDT", "", "--")]                // no take-profit set
    [InlineData("XYZ-USDT", "1.5", "1.50")]            // a market the CLI does not know: as money
    public void Price_IsOnTheTick(string symbol, string api, string shown) => Assert.Equal(shown, figures.Price(symbol, api));

    /// <summary>A long's liquidation price lies below the mark: rounded up it is reached first, never after the exact one; a short's the other way.</summary>
    [Theory]
    [InlineData(Side.Long, "18072.28915663", "18072.3")]
    [InlineData(Side.Short, "21927.71084337", "21927.7")]
    [InlineData(Side.Long, "18072.2", "18072.2")]      // on the tick already: unchanged
    [InlineData(Side.Short, "21927.79", "21927.7")]
    [InlineData(Side.Long, "", "--")]                  // cannot be liquidated at any positive price
    public void LiquidationPrice_IsRoundedToTheTickTowardTheMark(Side side, string api, string shown) => Assert.Equal(shown, figures.Trigger("BTC-USDT", side, api));

    [Theory]
    [InlineData("0.125", "12.50%")]
    [InlineData("1", "100.00%")]
    [InlineData("0.00004", "0.00%")]
    public void Ratio_IsAPercentageWithTwoPlaces(string ratio, string shown) =>
        Assert.Equal(shown, Figures.Ratio(decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture)));
}
