using Orleans.Storage;

namespace MarginOrleans.Storage;

/// <summary>
/// Orleans' table grain storage over several storage accounts: each grain's state goes to the one
/// its routing key picks (<see cref="StorageShard"/>), so a position's state stored before
/// positions had rows of their own (<see cref="PositionRows"/>) lies in the storage account of its
/// account, and a market's and its fund's in the one of their symbol.
/// </summary>
public sealed class ShardedGrainStorage(IReadOnlyList<IGrainStorage> accounts) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ClearStateAsync(stateName, grainId, grainState);

    private IGrainStorage For(GrainId grainId) => accounts[StorageShard.Of(StorageShard.RoutingKey(grainId.Key.ToString()!), accounts.Count)];
}
