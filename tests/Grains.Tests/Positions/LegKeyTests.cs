using System.Text.Json;

namespace MarginOrleans.Tests.Positions;

public sealed class LegKeyTests
{
    [Theory]
    [InlineData("BTC-USDT", "BTC-USDT", LegSide.Both)]
    [InlineData("BTC-USDT/LONG", "BTC-USDT", LegSide.Long)]
    [InlineData("ETH-USDT/SHORT", "ETH-USDT", LegSide.Short)]
    public void ALegsText_RoundTrips(string text, string symbol, LegSide side)
    {
        var leg = LegKey.Parse(text);
        Assert.Equal(new LegKey(symbol, side), leg);
        Assert.Equal(text, leg.ToString());
    }

    [Fact]
    public void AOneWayLeg_KeepsTheKeysStoredBeforeLegs()
    {
        // A position grain, a cross position and a request fingerprint written before legs existed still name the same position.
        Assert.Equal("acc-1/BTC-USDT", PositionKey.Of("acc-1", LegKey.Both("BTC-USDT")));
        Assert.Equal(("acc-1", LegKey.Both("BTC-USDT")), PositionKey.Parse("acc-1/BTC-USDT"));
        Assert.Equal(("acc-1", new LegKey("BTC-USDT", LegSide.Short)), PositionKey.Parse("acc-1/BTC-USDT/SHORT"));
        Assert.Equal("\"BTC-USDT\"", JsonSerializer.Serialize(LegKey.Both("BTC-USDT")));
        Assert.Equal(
            """{"Symbol":"BTC-USDT","Side":1,"Quantity":1,"Leverage":null,"LimitPrice":null,"TakeProfit":null,"StopLoss":null}""",
            JsonSerializer.Serialize(new OpenOrder("BTC-USDT", PositionSide.Long, 1m, null, null)));
    }

    [Fact]
    public void AHedgeLeg_IsFingerprintedAsADifferentPosition()
    {
        Assert.Equal("\"BTC-USDT/LONG\"", JsonSerializer.Serialize(new LegKey("BTC-USDT", LegSide.Long)));
        Assert.Contains("\"LegSide\":1", JsonSerializer.Serialize(new OpenOrder("BTC-USDT", PositionSide.Long, 1m, null, null, LegSide: LegSide.Long)), StringComparison.Ordinal);
    }
}
