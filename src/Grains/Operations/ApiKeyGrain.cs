namespace MarginOrleans.Operations;

[GenerateSerializer, Alias("ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public Principal? Principal { get; set; }
}

public sealed class ApiKeyGrain(
    [PersistentState("apikey", MarginCluster.Storage)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    public async Task Assign(Principal principal)
    {
        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public async Task Revoke()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    /// <summary>An unknown key leaves no activation behind: thousands of random keys cost reads, not memory.</summary>
    public Task<Principal?> Resolve()
    {
        if (state.State.Principal is null)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(state.State.Principal);
    }
}
