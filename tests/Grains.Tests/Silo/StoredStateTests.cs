using System.Reflection;
using System.Text.Json;
using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Silo;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Silo;

/// <summary>
/// Every state type a grain stores, filled by a real scenario (a refused command, a liquidation, a
/// cross position, fund movements, funding), reads back equal through every storage provider the
/// silo offers: Azure Table (the suite's Azurite) and memory (what measurements run on).
/// </summary>
public sealed class StoredStateTests
{
    public static TheoryData<string> Providers => new() { "azure", MarginOptions.MemoryStorage };

    [Fact]
    public async Task OnMemoryStorage_APositionWhoseLastCommandWasRefused_IsSaved()
    {
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), storage: MarginOptions.MemoryStorage);
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            var symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10);

            var refused = await account.RemoveMargin(RequestId(), symbol, 5_000m);
            Assert.Equal(Rejection.ExceedsMaxRemovable, refused.Result.Reason);
            var closed = await account.ClosePosition(RequestId(), symbol, null);
            Assert.True(closed.Result.IsOk, closed.Result.Detail);
            await trading.AssertConserved();
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// On memory storage too, a trigger shard that activates again finds its isolated positions'
    /// entries where it reads them on Azure Table: every grain collected, a crossing mark liquidates.
    /// </summary>
    [Fact]
    public async Task OnMemoryStorage_AShardActivatedAgain_FindsItsPositionsEntries()
    {
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), storage: MarginOptions.MemoryStorage);
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            var symbol = await trading.Market(20_000m, shards: 1);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 1m, 10); // liquidated below (20,000 − 2,000) ÷ (1 − 0.4 %) = 18,072.29
            await trading.Quiet();
            GrainType[] shardsAndPositions = [cluster.GrainFactory.GetGrain<ITriggerShardGrain>(TriggerShards.Key(symbol, 0)).GetGrainId().Type,
                cluster.GrainFactory.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(account.GetPrimaryKeyString(), symbol)).GetGrainId().Type];
            await cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            await Within(ActivationWitness.Of(cluster.GrainFactory).AtMost(0, shardsAndPositions), "the shard's and the position's activations collected");

            Assert.Equal(1, (await trading.Price(symbol, 18_000m)).Fired);
            await trading.Settled(async () => await account.GetPosition(symbol) is null, "the liquidation");
            await trading.AssertConserved();
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryStoredState_ReadsBackEqual(string provider)
    {
        var cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), storage: provider == "azure" ? null : provider);
        try
        {
            var grains = cluster.GrainFactory;
            var silo = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider;
            var storage = silo.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage);
            var (symbol, trader, apiKeyHash) = await Scenario(grains);

            var stored = new List<Type>
            {
                await RoundTrip<AccountState>(storage, "account", trader),
                await RoundTrip<AccountState>(storage, "account", grains.GetGrain<IAccountGrain>(trader.GetPrimaryKeyString() + "-cross")),
                await RoundTrip<IsolatedPositionState>(storage, "position", grains.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(trader.GetPrimaryKeyString(), symbol))),
                await RoundTrip<MarginOrleans.Markets.MarketState>(storage, "market", grains.GetGrain<IMarketGrain>(symbol)),
                await RoundTrip<MarginOrleans.Markets.MarketDirectoryState>(storage, "markets", grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key)),
                await RoundTrip<ApiKeyState>(storage, "apikey", grains.GetGrain<IApiKeyGrain>(apiKeyHash)),
                await RoundTrip(silo.GetRequiredService<FundRows>(), symbol),
            };

            Assert.Equal(PersistedStateTypes().OrderBy(t => t.Name), stored.Distinct().OrderBy(t => t.Name));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Leaves state of every kind with something in it: refusals, a liquidation, cross funding-free positions, a fund top-up.</summary>
    private static async Task<(string Symbol, IAccountGrain Trader, string ApiKeyHash)> Scenario(IGrainFactory grains)
    {
        var trading = new Trading(grains);
        var symbol = await trading.Market(20_000m);
        Assert.True((await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List()).Count > 0);
        Assert.True((await grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 300m)).IsOk);

        var trader = grains.GetGrain<IAccountGrain>("acc-" + Guid.NewGuid().ToString("N")[..12]);
        Assert.True((await trader.Create(RequestId())).Result.IsOk);
        Assert.True((await trader.Deposit(RequestId(), 10_000m)).Result.IsOk);
        var opened = await trader.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 1m, 10, null, 25_000m, 17_000m));
        Assert.True(opened.Result.IsOk, opened.Result.Detail);
        Assert.False((await trader.RemoveMargin(RequestId(), symbol, 5_000m)).Result.IsOk); // the position's last outcome: a refusal

        var cross = grains.GetGrain<IAccountGrain>(trader.GetPrimaryKeyString() + "-cross");
        Assert.True((await cross.Create(RequestId())).Result.IsOk);
        Assert.True((await cross.Deposit(RequestId(), 10_000m)).Result.IsOk);
        await Mode(cross, symbol, MarginMode.Cross);
        await Open(cross, symbol, PositionSide.Short, 0.5m, 5);

        // A key found by its hash (the operator's): a trader's names its account and has no state of its own.
        var operatorKey = ApiKeys.Hash(ApiKeys.NewKey());
        await grains.GetGrain<IApiKeyGrain>(operatorKey).Assign(new Principal(Role.Operator, ""));
        return (symbol, trader, operatorKey);
    }

    /// <summary>Reads the grain's stored state, writes it under a new grain id, reads that back and compares every public property.</summary>
    private static async Task<Type> RoundTrip<T>(IGrainStorage storage, string stateName, IAddressable grain) where T : class, new()
    {
        var read = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grain.GetGrainId(), read);
        Assert.True(read.RecordExists, $"{stateName} of {grain.GetGrainId()} is stored");

        var copyId = GrainId.Create(grain.GetGrainId().Type, grain.GetGrainId().Key + "-copy");
        await storage.WriteStateAsync(stateName, copyId, new GrainState<T> { State = read.State });
        var back = new GrainState<T>();
        await storage.ReadStateAsync(stateName, copyId, back);

        Assert.Equal(JsonSerializer.Serialize(read.State), JsonSerializer.Serialize(back.State));
        return typeof(T);
    }

    /// <summary>A fund's state lives in its own rows (Orleans' row is only read, for a fund stored before them): the same round trip there.</summary>
    private static async Task<Type> RoundTrip(FundRows rows, string fund)
    {
        var (read, _, _) = await rows.Load(fund, new InsuranceFundState());
        Assert.True(read.Commit > 0, $"fund {fund} is stored");

        await rows.Write(fund + "-copy", rows.Serialized(read), read.Commit, null, [], () => { });
        var (back, _, _) = await rows.Load(fund + "-copy", new InsuranceFundState());

        Assert.Equal(JsonSerializer.Serialize(read), JsonSerializer.Serialize(back));
        return typeof(InsuranceFundState);
    }

    /// <summary>The state types of every [PersistentState] a grain of the engine declares.</summary>
    private static IEnumerable<Type> PersistedStateTypes() => typeof(AccountGrain).Assembly.GetTypes()
        .SelectMany(t => t.GetConstructors())
        .SelectMany(c => c.GetParameters())
        .Where(p => p.GetCustomAttribute<PersistentStateAttribute>() is { StorageName: MarginCluster.Storage })
        .Select(p => p.ParameterType.GetGenericArguments()[0])
        .Distinct();
}
