using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Cross;

/// <summary>Cross bands live in the durable trigger index: after a full restart they still liquidate.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossRestartTests
{
    [Fact]
    public async Task AfterAFullRestart_CrossBandsStillLiquidateTheAccount()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var (eth, accountId) = ("", "");
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var btc = await trading.Market(20_000m);
            eth = await trading.Market(1_000m);
            var account = await trading.Account(3_500m);
            accountId = account.GetPrimaryKeyString();
            await Mode(account, btc, MarginMode.Cross);
            await Mode(account, eth, MarginMode.Cross);
            await Open(account, btc, PositionSide.Short, 1m, 10);
            await Open(account, eth, PositionSide.Long, 10m, 10);
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            // Nothing activates the account: only the rebuilt index can wake it (liquidation price 662.1486).
            var trading = new Trading(grains);
            Assert.True((await trading.Price(eth, 662.1m)).Fired >= 1);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            await trading.Settled(async () => (await account.GetAccount())!.Positions.Count == 0, "the cross liquidation after restart");
            await trading.AssertConserved();
        });
    }
}
