using MarginOrleans.Positions;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>While a market has woken owners that have not answered, opens on it wait; liquidations do not.</summary>
[Collection(GatewayCollection.Name)]
public sealed class LiquidationFirstTests(GatewayFixture gateway)
{
    [Fact]
    public async Task AnOpenSentRightAfterACrossingTick_IsFilledOnlyOnceEveryCrossedPositionIsLiquidated()
    {
        var symbol = "L" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000");
        var doomed = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var (key, accountId) = await gateway.Trader("1000");
            await gateway.Positions.OpenPositionAsync(new OpenPositionRequest
            {
                RequestId = RequestId(), Symbol = symbol, Side = Side.Long, Quantity = "0.5", Leverage = 20,
            }, Bearer(key));
            return (Key: key, AccountId: accountId);
        }));
        var (newcomer, _) = await gateway.Trader("1000");

        // One woken position does not answer (as if its silo died with the wake-up): the shard
        // wakes it again after its 5 s timeout. Liquidation prices ≈ 19,076: 18,000 crosses all twenty.
        TestFaults.Instance.Arm(FaultPoints.TriggerUnanswered, PositionKey.Of(doomed[0].AccountId, symbol));
        var tick = await gateway.Operations.PublishPriceAsync(new PublishPriceRequest { Symbol = symbol, MarkPrice = "18000" }, Bearer(gateway.OperatorKey));
        Assert.Equal(20, tick.Fired);
        Assert.InRange((await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol })).LiquidationBacklog, 1, 20);

        await gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = symbol, Side = Side.Short, Quantity = "0.001", Leverage = 10,
        }, Bearer(newcomer));

        // The open was held until every woken owner had answered, the silent one included.
        var stillOpen = await Task.WhenAll(doomed.Select(async d =>
            (await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), Bearer(d.Key))).Positions.Count(p => p.Symbol == symbol)));
        Assert.Equal(new int[20], stillOpen);
        Assert.Equal(0, (await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol })).LiquidationBacklog);
        await new Trading(gateway.Grains).Settled(async () => (await gateway.Operations.AuditAsync(new AuditRequest(), Bearer(gateway.OperatorKey))).InFlight == "0", "fund transfers delivered");
        await gateway.AssertBalanced();
    }
}
