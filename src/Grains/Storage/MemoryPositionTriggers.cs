using Azure.Data.Tables;
using MarginOrleans.Positions;
using Orleans.Storage;

namespace MarginOrleans.Storage;

/// <summary>
/// Memory storage (engine-bound runs) keeps grain state in Orleans' memory provider, not in table
/// rows: so that a trigger shard that activates again finds its isolated positions' entries where
/// it reads them on Azure Table (<see cref="PositionTriggers"/>), a position's write also puts its
/// entry columns in the memory tables, in the row its bucket would hold.
/// </summary>
public sealed class MemoryPositionTriggers(IGrainStorage state, Tables tables) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => state.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await state.WriteStateAsync(stateName, grainId, grainState);
        if (grainState.State is IsolatedPositionState position)
        {
            var key = grainId.Key.ToString()!;
            var row = new TableEntity(PositionRows.Partition(key), PositionRows.Row(key));
            PositionTriggers.Write(row, position.RowTriggers);
            await (await tables.Get(Tables.Positions, row.PartitionKey)).UpsertEntityAsync(row, TableUpdateMode.Replace);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => state.ClearStateAsync(stateName, grainId, grainState);
}
