namespace MarginOrleans.Operations;

[GenerateSerializer, Alias("ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public Principal? Principal { get; set; }
}

public sealed class ApiKeyGrain(
    [PersistentState("apikey", "margin")] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    public async Task Assign(Principal principal)
    {
        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public Task<Principal?> Resolve() => Task.FromResult(state.State.Principal);
}
