using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MarginOrleans.Tests.Funding;

/// <summary>A cluster whose markets run on their own <see cref="TestClock"/>, with markets paying funding every minute.</summary>
public sealed class FundingCluster : IAsyncLifetime
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly string tablePrefix = ClusterFixture.NewTablePrefix();
    private TestCluster cluster = null!;

    public IGrainFactory Grains => cluster.GrainFactory;

    /// <summary>The cluster's engine clock: funding times pass only when a test moves it.</summary>
    public FakeTimeProvider Clock => TestClock.For(tablePrefix);

    public async Task InitializeAsync() => cluster = await ClusterFixture.Start(tablePrefix);

    public async Task DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    /// <summary>A market on the example bracket table (docs/margin-math.md) paying funding every minute, first priced at a funding time.</summary>
    public async Task<string> Market(decimal index, decimal mark)
    {
        var symbol = Trading.NewSymbol();
        var created = await Grains.GetGrain<IMarketGrain>(symbol).Create(
            new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, Funding: new FundingSpec((int)Interval.TotalSeconds)));
        Assert.True(created.IsOk, created.Detail);
        Clock.AdvanceToNext(Interval);
        await Price(symbol, index, mark);
        return symbol;
    }

    public async Task<PriceUpdate> Price(string symbol, decimal index, decimal mark)
    {
        var update = await Grains.GetGrain<IMarketGrain>(symbol).PublishPrice(index, mark);
        Assert.True(update.Result.IsOk, update.Result.Detail);
        return update;
    }
}

[CollectionDefinition(Name)]
public sealed class FundingCollection : ICollectionFixture<FundingCluster>
{
    public const string Name = "funding";
}
