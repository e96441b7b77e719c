using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// The engine, not an edge, holds new risk back while a market works off its liquidations: a
/// client calling the grains directly is refused too. Long 1 @ 20,000, 10x, liquidated below 18,072.29.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LiquidationsFirstTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task WhileAWokenOwnerHasNotAnswered_OpensAreRefused_ReductionsGoThrough_AndTheSameRequestFillsOnceItIsLiquidated()
    {
        var symbol = await trading.Market(20_000m);
        var doomed = await trading.Account(10_000m);
        await Open(doomed, symbol, PositionSide.Long, 1m, 10);
        var holder = await trading.Account(10_000m);
        await Open(holder, symbol, PositionSide.Short, 0.1m, 10);
        var (isolated, cross) = (await trading.Account(10_000m), await trading.Account(10_000m));
        await Mode(cross, symbol, MarginMode.Cross);

        // The woken position does not answer (as if its silo died with the wake-up): its shard wakes it again after 5 s.
        TestFaults.Instance.Arm(FaultPoints.TriggerUnanswered, PositionKey.Of(doomed.GetPrimaryKeyString(), symbol));
        Assert.Equal(1, (await trading.Price(symbol, 18_000m)).Fired);
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Backlog);

        var (order, request) = (new OpenOrder(symbol, PositionSide.Long, 0.01m, 10, null), RequestId());
        var refusals = new[] { await isolated.OpenPosition(request, order), await cross.OpenPosition(RequestId(), order) };
        var reduced = await holder.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.05m, 10, null));

        var expected = (Rejection.LiquidationsPending,
            $"1 liquidation(s) on {symbol} are being worked off; new risk waits until they are done: send the same request again");
        Assert.All(refusals, r => Assert.Equal(expected, (r.Result.Reason, r.Result.Detail)));
        Assert.Equal((true, 0.05m), (reduced.Result.IsOk, reduced.Position!.Quantity));
        Assert.Null(await isolated.GetPosition(symbol));

        await trading.Settled(async () => await doomed.GetPosition(symbol) is null
            && (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Backlog == 0, "the silent owner's liquidation");
        var filled = await isolated.OpenPosition(request, order);
        Assert.Equal((true, 0.01m), (filled.Result.IsOk, filled.Position!.Quantity));
        await trading.AssertConservedOnceSettled();
    }
}
