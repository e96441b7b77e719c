using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>What a fund owes, and the ranking beside the trigger rows, survive a full restart against Azurite.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoDeleveragingRestartTests
{
    [Fact]
    public async Task AFundThatOwes_AfterAFullRestart_DeleveragesFromTheRebuiltRanking()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var (symbol, shortId) = ("", "");
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(16_000m);
            var shorter = await trading.Account(20_000m);
            shortId = shorter.GetPrimaryKeyString();
            await Open(shorter, symbol, PositionSide.Short, 2m, 2); // margin 16,000

            await trading.Price(symbol, 20_000m);
            var bankrupt = await trading.Account(10_000m);
            await Open(bankrupt, symbol, PositionSide.Long, 1m, 10);

            // The gap to 17,000 costs the empty fund 1,000; the only short is at a loss there: nobody can pay yet.
            await trading.Price(symbol, 17_000m);
            await trading.Settled(async () => (await trading.Fund(symbol)).Owed == 1_000m, "the deficit owed");
            await trading.AssertConserved();
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var shorter = grains.GetGrain<IAccountGrain>(shortId);

            // At 15,500 the short made 500 a unit: two units at 18,000 would give 1,000 each, capped at their
            // 500 profit: both units close and give 1,000. Nothing but the rebuilt index ranks them.
            await trading.Price(symbol, 15_500m);
            await trading.Settled(async () => (await trading.Fund(symbol)).Owed == 0m, "auto-deleveraging after the restart");

            var adl = Assert.Single(await shorter.GetJournal(1, 100), e => e.Kind == JournalKind.AutoDeleveraged);
            Assert.Equal((2m, 16_000m, 0m), (adl.Quantity, adl.Price, adl.RealizedPnl));
            Assert.Equal((0m, 1_000m), ((await trading.Fund(symbol)).Balance, (await trading.Fund(symbol)).Deleveraged));
            await trading.AssertConserved();
        });
    }
}
