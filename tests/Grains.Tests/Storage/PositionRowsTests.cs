using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
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
/// against Azurite: writes to one partition share batches, each at its own ETag; one writer's
/// conflict fails only that writer; a position stored in Orleans' rows before moves to its bucket.
/// </summary>
public sealed class PositionRowsTests
{
    private const int Writers = 50;

    /// <summary>
    /// Fifty rows written at once: one batch is in flight per partition, so the first carries the
    /// first writes and the next all that arrived meanwhile (a third only if the writers were held up
    /// longer than a round trip) — each writer given its own row's ETag (the rows of one batch may share
    /// a value: the table derives it from the write's time), read back as written.
    /// </summary>
    [Fact]
    public async Task WritesToOnePartition_ShareBatches_EachAtItsOwnETag()
    {
        var (table, batches) = await Table();
        var commits = new PartitionCommits();

        var etags = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => commits.Write(table, Add("P", i, "first"), "test batch", "test row")));

        Assert.InRange(batches.Count, 1, 3);
        var stored = await Rows(table, "P");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => (Key(i), "first")), stored.Select(r => (r.RowKey, r.GetString("Value"))));
        Assert.Equal(etags, stored.Select(r => r.ETag));
    }

    /// <summary>
    /// A row replaced at a stale ETag (another activation wrote it since) fails its own write with
    /// 412 and no other: the batch is sent again without it, and every other row lands.
    /// </summary>
    [Fact]
    public async Task AStaleETag_FailsOnlyItsOwnWrite_TheRestOfTheBatchLands()
    {
        var (table, _) = await Table();
        var commits = new PartitionCommits();
        var first = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => commits.Write(table, Add("P", i, "first"), "test batch", "test row")));
        await commits.Write(table, Replace("P", 0, "another activation's", first[0]), "test batch", "test row");

        var writes = Enumerable.Range(0, 10).Select(i => commits.Write(table, Replace("P", i, "second", first[i]), "test batch", "test row")).ToList();

        var stale = await Assert.ThrowsAsync<TableTransactionFailedException>(() => writes[0]);
        Assert.Equal(412, stale.Status);
        await Task.WhenAll(writes.Skip(1));
        Assert.Equal(
            ["another activation's", .. Enumerable.Repeat("second", 9)],
            (await Rows(table, "P")).Select(r => r.GetString("Value")));
    }

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

    private static string Key(int i) => $"row-{i:D3}";

    private static TableTransactionAction Add(string partition, int i, string value) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, Key(i)) { ["Value"] = value });

    private static TableTransactionAction Replace(string partition, int i, string value, ETag etag) =>
        new(TableTransactionActionType.UpdateReplace, new TableEntity(partition, Key(i)) { ["Value"] = value }, etag);

    /// <summary>A table of its own on the suite's Azurite, and the batches sent to it.</summary>
    private static async Task<(TableClient Table, BatchCounter Batches)> Table()
    {
        var counter = new BatchCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var table = new TableClient(Azurite.ConnectionString, ClusterFixture.NewTablePrefix() + "rows", options);
        await table.CreateIfNotExistsAsync();
        return (table, counter);
    }

    private static async Task<List<TableEntity>> Rows(TableClient table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add(row);
        }

        return rows;
    }

    private sealed class BatchCounter : HttpPipelineSynchronousPolicy
    {
        private int count;

        public int Count => count;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref count);
            }
        }
    }
}
