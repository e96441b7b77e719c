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
        string symbol;
        IAccountGrain account;
        PositionView before;
        var first = await ClusterFixture.Start(prefix);
        try
        {
            var trading = new Trading(first.GrainFactory);
            symbol = await trading.Market(20_000m);
            account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            before = (await Open(account, symbol, PositionSide.Long, 0.5m, 10)).Position!;
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await ClusterFixture.Start(prefix);
        try
        {
            var trading = new Trading(second.GrainFactory);
            account = second.GrainFactory.GetGrain<IAccountGrain>(account.GetPrimaryKeyString());
            Assert.Equal(before, await account.GetPosition(symbol));
            Assert.Equal(10_000m - 3_015m, (await account.GetAccount())!.WalletBalance); // IM 3,000 + fees 15
            Assert.Equal(3, (await account.GetJournal(1, 10)).Count);

            // Nothing has activated the position since the restart: only the rebuilt index can find it.
            Assert.Equal(18_072.28915663m, before.LiquidationPrice);
            Assert.Equal(1, (await trading.Price(symbol, 18_072.2m)).Fired);
            await Eventually(async () => await account.GetPosition(symbol) is null, "the liquidation after restart");
            await trading.AssertConserved();
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }
}
