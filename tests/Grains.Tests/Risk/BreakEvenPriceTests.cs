using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

/// <summary>
/// The break-even price: closing the whole leg there at the taker rate nets zero after the fees and
/// funding since it opened. Each case checks the closed form, then that a close at it nets zero to
/// within what rounding the price to 8 places can move (Q × 10⁻⁸).
/// </summary>
public sealed class BreakEvenPriceTests
{
    [Theory]
    // A long that paid 10 to open, 4 on a partial close and 11.22 of funding: (12,000 + 14 + 11.22) / (0.6 × 0.9995).
    [InlineData(1, 0.6, 20_000, 14, -11.22, 0.0005, 20_052.05936301)]
    // The short on the other side received the 11.22: (12,000 − 14 + 11.22) / (0.6 × 1.0005).
    [InlineData(-1, 0.6, 20_000, 14, 11.22, 0.0005, 19_985.37397968)]
    // Only the open's fee: 20,010 / 0.9995.
    [InlineData(1, 1, 20_000, 10, 0, 0.0005, 20_020.010005)]
    // A short that paid funding needs the price lower still: (200 − 0.1 − 3) / (2 × 1.0005).
    [InlineData(-1, 2, 100, 0.1, -3, 0.0005, 98.4007996)]
    // No fee rate, no costs: the entry.
    [InlineData(1, 3, 1_234.5, 0, 0, 0, 1_234.5)]
    public void ClosingAtTheBreakEvenPrice_NetsZero(int sign, decimal quantity, decimal entry, decimal fees, decimal funding, decimal rate, decimal expected)
    {
        var price = PositionFigures.BreakEvenPrice(sign, quantity, entry, fees, funding, rate);
        Assert.Equal(expected, price);
        var net = sign * (price - entry) * quantity - fees - price * quantity * rate + funding;
        Assert.True(Math.Abs(net) <= quantity * 0.00000001m, $"net {net} at {price}");
    }

    [Fact]
    public void AFlatLeg_HasNoBreakEvenPrice() => Assert.Equal(0m, PositionFigures.BreakEvenPrice(1, 0m, 0m, 5m, -1m, 0.0005m));
}
