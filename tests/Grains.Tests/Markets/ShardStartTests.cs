using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A market that activates starts its trigger shards, so that what crossed while they were down fires
/// without waiting for a tick. A start that fails (sent to a silo that died) is sent again until
/// the shard has reported: with a stopped feed, nothing else would ever wake the positions its rows hold,
/// and the market would count their entries as none.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShardStartTests
{
    [Fact]
    public async Task AShardWhoseStartFailed_IsStartedAgain_AndLiquidatesWhatItsRowsHold_WithoutATick()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var (symbol, accountId) = ("", "");
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Open(account, symbol, PositionSide.Long, 1m, 10); // LP 18,072.29

            // The last tick crosses it, but its wake-up is lost (as with its silo): only the shard's row remembers.
            var position = PositionKey.Of(accountId, symbol);
            TestFaults.Instance.Arm(FaultPoints.TriggerUnanswered, position, untilDisarmed: true);
            try
            {
                Assert.Equal(1, (await trading.Price(symbol, 18_072.2m)).Fired);
                await Quiet(grains);
            }
            finally
            {
                TestFaults.Instance.Disarm(FaultPoints.TriggerUnanswered, position);
            }
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var shards = Enumerable.Range(0, MarketSpec.DefaultTriggerShards).Select(shard => TriggerShards.Key(symbol, shard)).ToList();
            foreach (var shard in shards)
            {
                TestFaults.Instance.Arm(FaultPoints.ShardUnstarted, shard);
            }

            // The market activates; every shard's start fails once. No tick follows.
            var market = (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!;
            await Quiet(grains);
            Assert.Equal(shards.Count, (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.ShardsUnheard);
            Assert.Equal(18_072.2m, market.MarkPrice);

            var account = grains.GetGrain<IAccountGrain>(accountId);
            TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1)); // the market's timer starts them again
            await trading.Settled(async () => (await account.GetJournal(1, 10)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation its shard's row held");

            Assert.All(shards, shard => Assert.False(TestFaults.Instance.Armed(FaultPoints.ShardUnstarted, shard)));
            Assert.Null(await account.GetPosition(symbol));
            await trading.AssertConservedOnceSettled();
        });
    }

    private static Task Quiet(IGrainFactory grains) => EngineActivity.Of(grains).Quiet;
}
