using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// Writes of single rows by many writers (grains of any silo turn; conditional, as a position's, or
/// upserts, as the account directory's), sent per partition as entity-group transactions: one batch
/// in flight per partition in this process, carrying every write that arrived while the previous
/// one was on its way (up to 100; a row named twice waits for the next). Each writer awaits its own
/// row's outcome: its new ETag, or the exception of its own action — a batch that fails on one row
/// (412: written by another activation; 409: inserted by another) is sent again without it, so
/// one writer's conflict fails no other. Any other failure fails every write of that batch, as it
/// would have failed each alone. Under load a partition's rows cost a fraction of an operation each;
/// alone, a row costs what its own write would.
/// </summary>
public sealed class PartitionCommits
{
    private readonly ConcurrentDictionary<(string Table, string Partition), Partition> partitions = new();

    /// <summary>Writes <paramref name="action"/>'s row with its partition's next batch; its new ETag.</summary>
    public Task<ETag> Write(TableClient table, TableTransactionAction action, string operation, string rows) =>
        partitions.GetOrAdd((table.Name, action.Entity.PartitionKey), _ => new Partition(table, operation, rows)).Write(action);

    private sealed class Partition(TableClient table, string operation, string rows)
    {
        private readonly Lock gate = new();
        private readonly List<(TableTransactionAction Action, TaskCompletionSource<ETag> Done)> waiting = [];
        private bool sending;

        public Task<ETag> Write(TableTransactionAction action)
        {
            var done = new TaskCompletionSource<ETag>(TaskCreationOptions.RunContinuationsAsynchronously);
            bool start;
            lock (gate)
            {
                waiting.Add((action, done));
                (start, sending) = (!sending, true);
            }

            if (start)
            {
                // Off the writer's grain scheduler and out of its async context (its place in the
                // storage queue, its labels): the batch is every writer's.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(Send);
                }
            }

            return done.Task;
        }

        private async Task Send()
        {
            while (Next() is { Count: > 0 } batch)
            {
                await Submit(batch);
            }
        }

        /// <summary>Up to 100 waiting writes, one per row (a batch names a row once); none left ends the sending.</summary>
        private List<(TableTransactionAction Action, TaskCompletionSource<ETag> Done)> Next()
        {
            lock (gate)
            {
                var rowsTaken = new HashSet<string>(StringComparer.Ordinal);
                var batch = waiting.Where(w => rowsTaken.Add(w.Action.Entity.RowKey)).Take(PartitionBatch.Max).ToList();
                waiting.RemoveAll(batch.Contains);
                sending = batch.Count > 0;
                return batch;
            }
        }

        private async Task Submit(List<(TableTransactionAction Action, TaskCompletionSource<ETag> Done)> batch)
        {
            using var counted = StorageCounter.Labelled(table.Name, operation);
            while (batch.Count > 0)
            {
                try
                {
                    using var weighed = StorageAdmission.Rows(batch.Count);
                    var answered = await table.SubmitTransactionAsync(batch.Select(w => w.Action));
                    EngineMetrics.StorageRows.Add(batch.Count, [new("table", table.Name), new("kind", rows + " write")]);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(answered?.Value[i].Headers.ETag ?? default); // none from tables in memory
                    }

                    return;
                }
                catch (TableTransactionFailedException failed) when (failed.Status is 409 or 412 or 404 && failed.FailedTransactionActionIndex is { } at && at < batch.Count)
                {
                    batch[at].Done.TrySetException(failed);
                    batch.RemoveAt(at);
                }
                catch (Exception e)
                {
                    batch.ForEach(w => w.Done.TrySetException(e)); // Try: never leave the partition's sending stuck
                    return;
                }
            }
        }
    }
}
