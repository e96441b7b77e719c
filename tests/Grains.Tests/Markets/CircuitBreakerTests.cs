using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Markets;

/// <summary>A fat-finger mark is held by the market's circuit breaker and liquidates nobody; a confirmed move still does.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CircuitBreakerTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public void AFallThatKeepsFalling_IsConfirmedByItsSecondPrice_AFatFingerIsDropped_AndTurningTheBreakerOffForgetsAHold()
    {
        var spec = new MarketSpec("CB-USDT", 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, CircuitBreaker: 0.1m);
        var market = new MarketState { MarkPrice = 100m };

        Assert.True(CircuitBreaker.Holds(spec, market, 85m));    // −15%: held
        Assert.False(CircuitBreaker.Holds(spec, market, 75m));   // still falling beyond the breaker: the move is real
        Assert.Null(market.HeldMark);

        Assert.True(CircuitBreaker.Holds(spec, market, 10m));    // a dropped digit
        Assert.False(CircuitBreaker.Holds(spec, market, 101m));  // back near the last mark: the hold is dropped
        Assert.Null(market.HeldMark);

        Assert.True(CircuitBreaker.Holds(spec, market, 150m));
        Assert.False(CircuitBreaker.Holds(spec with { CircuitBreaker = 0m }, market, 100m));
        Assert.Null(market.HeldMark);
    }

    /// <summary>1,000 longs at 20,000, 20x: liquidation prices ≈ 19,076. Breaker 10%.</summary>
    [Fact]
    public async Task AFatFingerPrice_ThatWouldLiquidateAThousandPositions_LiquidatesNone_AndAConfirmedMoveStillDoes()
    {
        var symbol = NewSymbol();
        var market = fixture.Grains.GetGrain<IMarketGrain>(symbol);
        Assert.True((await market.Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, CircuitBreaker: 0.1m))).IsOk);
        await trading.Price(symbol, 20_000m);
        var accounts = new IAccountGrain[1_000];
        await Parallel.ForAsync(0, accounts.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            accounts[i] = await trading.Account(1_000m);
            await Open(accounts[i], symbol, PositionSide.Long, 0.5m, 20);
        });

        var fatFinger = await trading.Price(symbol, 2_000m);           // a dropped zero
        Assert.Equal((true, 0), (fatFinger.Held, fatFinger.Fired));
        Assert.Equal(2_000m, (await market.GetSnapshot())!.HeldMark);
        var ordinary = await trading.Price(symbol, 20_010m);           // the feed goes on: the hold is dropped
        Assert.Equal((false, 0), (ordinary.Held, ordinary.Fired));
        Assert.Null((await market.GetSnapshot())!.HeldMark);
        await trading.Quiet(); // a wake-up, had there been one, has liquidated by now
        Assert.All(await Task.WhenAll(accounts.Select(a => a.GetPosition(symbol))), p => Assert.Equal(0.5m, p!.Quantity));

        // A real crash: the first print is held, the second confirms it, and the index fires.
        Assert.True((await trading.Price(symbol, 17_000m)).Held);
        Assert.Equal(1_000, (await trading.Price(symbol, 16_990m)).Fired);
        await trading.Settled(async () => (await Task.WhenAll(accounts.Select(a => a.GetPosition(symbol)))).All(p => p is null), "every liquidation");
        await trading.AssertConservedOnceSettled();
    }
}
