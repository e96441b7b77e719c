using Azure.Data.Tables;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// Isolated positions' rows, by market bucket, written through <see cref="PartitionCommits"/>
/// against Azurite: a second activation's write is refused; a position stored in Orleans' rows
/// before moves to its bucket.
/// </summary>
public sealed class PositionRowsTests
{
    /// <summary>
    /// Two activations' copies of one position, as after a silo's failover: the first write lands,
    /// the second, at the ETag both read, is refused as Orleans expects (the grain reloads), and the
    /// row keeps the first.
    /// </summary>
    [Fact]
    public async Task ASecondActivationsWrite_IsRefused_AsAnInconsistentState()
    {
        await OnCluster(ClusterFixture.NewTablePrefix(), async (grains, services) =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 0.1m, 10);
            var position = grains.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(account.GetPrimaryKeyString(), symbol)).GetGrainId();
            var storage = services.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage);
            var (first, second) = (new GrainState<IsolatedPositionState>(), new GrainState<IsolatedPositionState>());
            await storage.ReadStateAsync("position", position, first);
            await storage.ReadStateAsync("position", position, second);

            first.State!.IsolatedMargin = 300m;
            await storage.WriteStateAsync("position", position, first);
            second.State!.IsolatedMargin = 400m;
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("position", position, second));

            var stored = new GrainState<IsolatedPositionState>();
            await storage.ReadStateAsync("position", position, stored);
            Assert.Equal((300m, first.ETag), (stored.State!.IsolatedMargin, stored.ETag));
        });
    }

    /// <summary>
    /// In an installation whose layout was recorded before positions had rows of their own, a
    /// position stored in Orleans' rows is read through, and its next write inserts its bucket's row;
    /// the trader's money is where it was.
    /// </summary>
    [Fact]
    public async Task APositionStoredBefore_IsReadThrough_AndMovesToItsBucketWithTheNextWrite()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var layout = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + StorageLayout.Table);
        await layout.CreateIfNotExistsAsync();
        await layout.AddEntityAsync(new TableEntity("layout", "storage-accounts") { ["Count"] = 1 });
        var positions = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Positions);
        string symbol = "", key = "";

        await OnCluster(prefix, async (grains, services) =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 0.1m, 10);
            key = PositionKey.Of(account.GetPrimaryKeyString(), symbol);

            // Where a build before this one kept it: Orleans' rows, and no bucket row.
            var position = grains.GetGrain<IIsolatedPositionGrain>(key).GetGrainId();
            var stored = new GrainState<IsolatedPositionState>();
            await services.GetRequiredKeyedService<IGrainStorage>(MarginCluster.Storage).ReadStateAsync("position", position, stored);
            Assert.Equal(200m, stored.State!.IsolatedMargin);
            await services.GetRequiredKeyedService<IGrainStorage>("margin-rows").WriteStateAsync("position", position, new GrainState<IsolatedPositionState> { State = stored.State });
            await positions.DeleteEntityAsync(PositionRows.Partition(key), PositionRows.Row(key));
        });

        await OnCluster(prefix, async (grains, _) =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(PositionKey.Parse(key).AccountId);
            Assert.Equal((0.1m, 200m), await Held(account, symbol));
            Assert.False((await positions.GetEntityIfExistsAsync<TableEntity>(PositionRows.Partition(key), PositionRows.Row(key))).HasValue);

            Assert.True((await account.AddMargin(RequestId(), symbol, 50m)).Result.IsOk);

            Assert.True((await positions.GetEntityIfExistsAsync<TableEntity>(PositionRows.Partition(key), PositionRows.Row(key))).HasValue);
            await trading.AssertConserved();
        });

        await OnCluster(prefix, async (grains, _) =>
            Assert.Equal((0.1m, 250m), await Held(grains.GetGrain<IAccountGrain>(PositionKey.Parse(key).AccountId), symbol)));
    }

    private static async Task<(decimal Quantity, decimal Margin)> Held(IAccountGrain account, string symbol)
    {
        var view = (await account.GetPosition(symbol))!;
        return (view.Quantity, view.IsolatedMargin);
    }

    private static async Task OnCluster(string prefix, Func<IGrainFactory, IServiceProvider, Task> body)
    {
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            await body(cluster.GrainFactory, Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
