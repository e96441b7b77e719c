using Azure;
using Azure.Data.Tables;
using MarginOrleans.Storage;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// Upserts into one partition from many callers share its writes: one batch at a time, holding every
/// row that arrived meanwhile. The table here holds each batch until the test lets it finish, so what
/// each batch held is seen exactly.
/// </summary>
public sealed class PartitionUpsertsTests
{
    [Fact]
    public async Task RowsArrivingDuringABatch_GoTogetherInTheNext_AndEachCallerReturnsOnceItsRowIsStored()
    {
        var table = new HeldTable();
        var upserts = new PartitionUpserts(table, "test batch");

        var first = upserts.Upsert(Row("a"));
        await table.Reached(1);
        var later = new[] { upserts.Upsert(Row("b")), upserts.Upsert(Row("c")), upserts.Upsert(Row("b")) };
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
        var upserts = new PartitionUpserts(table, "test batch");
        var failing = upserts.Upsert(Row("a"));
        await table.Reached(1);
        var next = upserts.Upsert(Row("b"));

        table.Fail(0);
        await Assert.ThrowsAsync<RequestFailedException>(() => failing);
        await table.Reached(2);
        table.Finish(1);
        await next;
        Assert.Equal([["a"], ["b"]], table.Batches);
    }

    private static TableEntity Row(string key) => new("p", key);

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
