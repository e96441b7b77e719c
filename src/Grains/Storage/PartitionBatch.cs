using Azure;
using Azure.Data.Tables;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>Upserts and deletes of rows of one partition, as entity-group transactions of up to 100 each.</summary>
public static class PartitionBatch
{
    public const int Max = 100;

    /// <summary>
    /// Submits <paramref name="actions"/> in batches side by side, counted as <paramref name="operation"/>
    /// and their rows as "<paramref name="rows"/> write" and "… delete". A batch fails whole when one
    /// delete finds no row (already gone): that delete is dropped and the batch resubmitted.
    /// </summary>
    public static Task Submit(TableClient table, IEnumerable<TableTransactionAction> actions, string operation, string rows) =>
        Task.WhenAll(actions.Chunk(Max).Select(chunk => One(table, [.. chunk], operation, rows)));

    /// <summary>One batch of at most 100 actions; its answers (none from tables in memory).</summary>
    public static async Task<Response<IReadOnlyList<Response>>?> One(TableClient table, List<TableTransactionAction> batch, string operation, string rows)
    {
        using var counted = StorageCounter.Labelled(table.Name, operation);
        while (batch.Count > 0)
        {
            try
            {
                using var weighed = StorageAdmission.Rows(batch.Count);
                var answered = await table.SubmitTransactionAsync(batch);
                var deletes = batch.Count(a => a.ActionType == TableTransactionActionType.Delete);
                EngineMetrics.StorageRows.Add(batch.Count - deletes, [new("table", table.Name), new("kind", rows + " write")]);
                EngineMetrics.StorageRows.Add(deletes, [new("table", table.Name), new("kind", rows + " delete")]);
                return answered;
            }
            catch (TableTransactionFailedException failed) when (failed.Status == 404 && failed.FailedTransactionActionIndex is { } at
                && batch[at].ActionType == TableTransactionActionType.Delete)
            {
                batch.RemoveAt(at);
            }
        }

        return null; // every action was a delete of a row already gone
    }
}
