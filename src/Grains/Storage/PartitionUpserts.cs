using Azure.Data.Tables;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// Group commit of upserts into one table partition from many callers: one entity-group transaction
/// at a time, and each holds every row that arrived while the one before it was written (up to a
/// batch's 100). A caller returns once its row is stored; a failed batch fails the callers it held.
/// Under load, many rows cost one operation; alone, a row costs what its own upsert would. The
/// storage counter names each batch <paramref name="operation"/>.
/// </summary>
public sealed class PartitionUpserts(TableClient table, string operation)
{
    private readonly Lock gate = new();
    private readonly List<(TableEntity Row, TaskCompletionSource Stored)> waiting = [];
    private bool writing;

    public Task Upsert(TableEntity row)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiting.Add((row, stored));
            if (writing)
            {
                return stored.Task;
            }

            writing = true;
        }

        // Off the caller's turn and flow: the writer goes on with other callers' rows after this one's,
        // under none of this caller's scopes (its storage label, its place in the storage queue).
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(WriteWhileWaiting);
        }

        return stored.Task;
    }

    private async Task WriteWhileWaiting()
    {
        while (true)
        {
            List<(TableEntity Row, TaskCompletionSource Stored)> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    writing = false;
                    return;
                }

                // A batch may name a row once: the same key twice waits for the next batch.
                batch = [.. waiting.DistinctBy(w => w.Row.RowKey).Take(PartitionBatch.Max)];
                foreach (var taken in batch)
                {
                    waiting.Remove(taken);
                }
            }

            try
            {
                using var counted = StorageCounter.Labelled(table.Name, operation);
                await table.SubmitTransactionAsync(batch.Select(w => new TableTransactionAction(TableTransactionActionType.UpsertReplace, w.Row)));
                batch.ForEach(w => w.Stored.SetResult());
            }
            catch (Exception failed)
            {
                batch.ForEach(w => w.Stored.SetException(failed));
            }
        }
    }
}
