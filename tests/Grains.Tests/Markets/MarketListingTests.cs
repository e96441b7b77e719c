using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A market is usable only once the directory lists it: the gateways refuse every command for a
/// symbol it does not list. A create whose market was stored but whose listing failed (the
/// directory's silo died during the call; found by the crash soak, where the retried create
/// answered "already exists" and every open after it "unknown symbol") is listed by its retry.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketListingTests
{
    [Fact]
    public async Task ACreateWhoseListingFailed_IsListedByItsRetry()
    {
        await ClusterFixture.Run(ClusterFixture.NewTablePrefix(), async grains =>
        {
            var symbol = NewSymbol();
            var (market, directory) = (grains.GetGrain<IMarketGrain>(symbol), grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key));
            var spec = new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, MarginOrleans.Silo.DefaultMarkets.Brackets);
            TestFaults.Instance.Arm(FaultPoints.DirectoryUnanswered, symbol);

            await Assert.ThrowsAnyAsync<Exception>(() => market.Create(spec));
            Assert.DoesNotContain(symbol, await directory.List());
            Assert.NotNull(await market.GetSnapshot()); // stored: the market exists, unlisted

            Assert.Equal(Rejection.MarketExists, (await market.Create(spec)).Reason);
            Assert.Contains(symbol, await directory.List());
        });
    }
}
