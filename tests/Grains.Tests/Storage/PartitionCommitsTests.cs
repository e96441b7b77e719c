using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// Writes into one partition from many callers share its batches: one at a time, holding every row
/// that arrived meanwhile. The table of the first two holds each batch until the test lets it finish,
/// so what each batch held is seen exactly; the last two run against Azurite.
/// </summary>
public sealed class PartitionCommitsTests
{
    private const int Writers = 50;

    [Fact]
    public async Task RowsArrivingDuringABatch_GoTogetherInTheNext_AndEachCallerReturnsOnceItsRowIsStored()
    {
        var table = new HeldTable();
        var commits = new PartitionCommits();

        var first = Upsert(commits, table, "a");
        await table.Reached(1);
        var later = new[] { Upsert(commits, table, "b"), Upsert(commits, table, "c"), Upsert(commits, table, "b") };
        Assert.False(first.IsCompleted);

        table.Finish(0);
        await first;
        await table.Reached(2);
        Assert.All(later, t => Assert.False(t.IsCompleted));

        // One batch names a row once: the second "b" waits for the batch after.
        table.Finish(1);
        await Task.WhenAll(later[0], later[1]);
        await table.Reached(3);
        table.Finish(2);
        await later[2];
        Assert.Equal([["a"], ["b", "c"], ["b"]], table.Batches);
    }

    [Fact]
    public async Task AFailedBatch_FailsItsCallersOnly_AndTheNextIsWritten()
    {
        var table = new HeldTable();
        var commits = new PartitionCommits();
        var failing = Upsert(commits, table, "a");
        await table.Reached(1);
        var next = Upsert(commits, table, "b");

        table.Fail(0);
        await Assert.ThrowsAsync<RequestFailedException>(() => failing);
        await table.Reached(2);
        table.Finish(1);
        await next;
        Assert.Equal([["a"], ["b"]], table.Batches);
    }

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

    private static TableEntity Row(string key) => new("p", key);

    private static Task Upsert(PartitionCommits commits, TableClient table, string key) =>
        commits.Write(table, new(TableTransactionActionType.UpsertReplace, Row(key)), "test batch", "test row");

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


    /// <summary>A table whose batches wait until the test finishes or fails them, by their order of arrival.</summary>
    private sealed class HeldTable : TableClient
    {
        private readonly List<TaskCompletionSource> held = [];
        private readonly SemaphoreSlim arrived = new(0);

        public List<string[]> Batches { get; } = [];

        public override string Name => "held";

        public override async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (held)
            {
                Batches.Add([.. transactionActions.Select(a => ((TableEntity)a.Entity).RowKey)]);
                held.Add(done);
            }

            arrived.Release();
            await done.Task;
            return null!;
        }

        public async Task Reached(int batches)
        {
            while (true)
            {
                lock (held)
                {
                    if (held.Count >= batches)
                    {
                        return;
                    }
                }

                Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)), $"batch {batches} never arrived");
            }
        }

        public void Finish(int batch) => held[batch].SetResult();

        public void Fail(int batch) => held[batch].SetException(new RequestFailedException(500, "refused"));
    }
}
