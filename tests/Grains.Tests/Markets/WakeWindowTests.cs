using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A shard wakes at most a window of its fired owners at once; each answer wakes the next in line.
/// Long 1 @ 20,000, 10x, liquidated below 18,072.29: at 18,000.1 each leaves 0.1 to the fund.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WakeWindowTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task ACascadeLargerThanTheWindow_OnOneShard_IsLiquidatedWhole_WithNoTickAfterIt()
    {
        var symbol = await trading.Market(20_000m, shards: 1);
        var doomed = await Task.WhenAll(Enumerable.Range(0, AwaitedOwners.Window + 16).Select(async _ =>
        {
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            return account;
        }));
        var fundBefore = await trading.Fund(symbol);

        Assert.Equal(doomed.Length, (await trading.Price(symbol, 18_000.1m)).Fired);
        await trading.Settled(async () => (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Backlog == 0, "the cascade");

        foreach (var account in doomed)
        {
            Assert.Null(await account.GetPosition(symbol));
        }

        Assert.Equal(fundBefore.Balance + (0.1m * doomed.Length), (await trading.Fund(symbol)).Balance);
        await trading.AssertConservedOnceSettled();
    }
}
