using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>A full silo restart against real Azurite: state, journal and trigger index all come back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RestartTests
{
    [Fact]
    public async Task AfterAFullRestart_PositionsSurvive_AndTheIndexStillLiquidatesThem()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var (symbol, accountId, before) = ("", "", (PositionView?)null);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            before = (await Open(account, symbol, PositionSide.Long, 0.5m, 10)).Position!;
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            Assert.Equal(before, await account.GetPosition(symbol));
            Assert.Equal(10_000m - 3_015m, (await account.GetAccount())!.WalletBalance); // IM 3,000 + fees 15
            Assert.Equal(3, (await account.GetJournal(1, 10)).Count);

            // Nothing has activated the position since the restart: only the rebuilt index can find it.
            Assert.Equal(18_072.28915663m, before!.LiquidationPrice);
            Assert.Equal(1, (await trading.Price(symbol, 18_072.2m)).Fired);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation after restart");
            await trading.AssertConserved();
        });
    }
}
