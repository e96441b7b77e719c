using Azure;
using Azure.Data.Tables;
using MarginOrleans.Positions;
using MarginOrleans.Telemetry;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginOrleans.Storage;

/// <summary>
/// An isolated position's state as a row of its market's bucket (<see cref="Partition"/>), written
/// through the bucket's <see cref="PartitionCommits"/>: positions a tick liquidates together are
/// written together, each still at its own ETag (inserted only if absent, then replaced only at the
/// ETag last read or written), so a cascade's position writes cost a fraction of an operation each.
/// A position whose row is not here yet may lie in Orleans' rows, stored before positions had rows of
/// their own (<see cref="StateStoredBefore.Positions"/>): it is read through once and moves here
/// with its next write.
/// </summary>
public sealed class PositionRows(IGrainStorage before, Tables tables, PartitionCommits commits, Serializer serializer, StateStoredBefore stored)
{
    /// <summary>
    /// A market's positions spread over this many partitions: enough that a cascade in one symbol
    /// stays within a partition's rate (Azure Table: ~2,000 entities/s each), few enough that the
    /// positions of one tick share batches. Part of the layout: another number finds no row.
    /// </summary>
    public const int Buckets = 32;

    /// <summary>The market's bucket holding <paramref name="positionKey"/>'s row: its symbol and a stable hash of the whole key.</summary>
    public static string Partition(string positionKey) =>
        Bucket(PositionKey.Parse(positionKey).Leg.Symbol, StorageShard.Of(positionKey, Buckets));

    /// <summary>The partition of <paramref name="symbol"/>'s bucket <paramref name="bucket"/> (0 to <see cref="Buckets"/> − 1).</summary>
    public static string Bucket(string symbol, int bucket) => $"{symbol}.{bucket:D2}";

    /// <summary>A position key holds '/', which a row key may not: escaped, reversibly.</summary>
    public static string Row(string positionKey) => Uri.EscapeDataString(positionKey);

    public async Task Read(string stateName, GrainId grainId, IGrainState<IsolatedPositionState> position)
    {
        var key = grainId.Key.ToString()!;
        var table = await Table(key);
        NullableResponse<TableEntity> found;
        using (StorageCounter.Labelled(table.Name, "position read"))
        {
            found = await table.GetEntityIfExistsAsync<TableEntity>(Partition(key), Row(key));
        }

        if (found.HasValue)
        {
            (position.State, position.ETag, position.RecordExists) = (
                serializer.Deserialize<IsolatedPositionState>(StateColumns.Bytes(found.Value!)), found.Value!.ETag.ToString(), true);
            return;
        }

        if (stored.Positions)
        {
            await before.ReadStateAsync(stateName, grainId, position);
        }

        position.State ??= new IsolatedPositionState();
        position.ETag = null; // no row here yet: the next write inserts it
    }

    public async Task Write(GrainId grainId, IGrainState<IsolatedPositionState> position)
    {
        var key = grainId.Key.ToString()!;
        var table = await Table(key);
        var row = StateColumns.Row(Partition(key), Row(key), serializer.SerializeToArray(position.State), $"position {key}");
        PositionTriggers.Write(row, position.State?.RowTriggers ?? []);
        var action = position.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, row);
        try
        {
            position.ETag = (await commits.Write(table, action, "position batch", "position row")).ToString();
            position.RecordExists = true;
        }
        catch (TableTransactionFailedException failed) when (failed.Status is 409 or 412 or 404)
        {
            throw new InconsistentStateException($"position {key}'s state was written by another activation ({failed.ErrorCode})", position.ETag ?? "", "unknown");
        }
    }

    private Task<TableClient> Table(string key) => tables.Get(Tables.Positions, Partition(key));
}
