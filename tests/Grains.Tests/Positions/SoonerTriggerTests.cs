using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// An entry that fires sooner is published to its shard's memory before the position's write, whose
/// row then holds it: if that write fails, the shard holds an entry the position does not — early,
/// never late — until the position's next activation publishes the one it holds.
/// Long 1 @ 20,000, 10x, 1,000 margin added: liquidated below (20,000 − 3,000) ÷ (1 − 0.4 %) = 17,068.27.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SoonerTriggerTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task ASoonerEntryWhosePositionWriteFailed_IsHeldEarly_UntilThePositionPublishesItsOwn()
    {
        var symbol = await trading.Market(20_000m, shards: 1);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        Assert.True((await account.AddMargin(RequestId(), symbol, 1_000m)).Result.IsOk);
        var (key, shard) = (PositionKey.Of(account.GetPrimaryKeyString(), symbol), fixture.Grains.GetGrain<ITriggerShardGrain>(TriggerShards.Key(symbol, 0)));

        // Less margin would move the price up to (20,000 − 2,500) ÷ (1 − 0.4 %) = 17,570.28: published, then the write fails.
        TestFaults.Instance.Arm(FaultPoints.PositionUnwritten, key);
        await Assert.ThrowsAsync<InjectedFault>(() => account.RemoveMargin(RequestId(), symbol, 500m));
        Assert.Equal([17_570.28112450m], (await shard.Stress(17_500m)).Select(e => e.LiquidationPrice));

        // A look activates the position again, from its row: it publishes the entry it holds.
        Assert.Equal((3_000m, (decimal?)17_068.27309237m), await account.GetPosition(symbol) is { } held ? (held.IsolatedMargin, held.LiquidationPrice) : default);
        await trading.Quiet();
        Assert.Empty(await shard.Stress(17_500m));
        Assert.Equal(0, (await trading.Price(symbol, 17_500m)).Fired);
        Assert.Equal(1, (await trading.Price(symbol, 17_000m)).Fired);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation at its own price");
        await trading.AssertConservedOnceSettled();
    }
}
