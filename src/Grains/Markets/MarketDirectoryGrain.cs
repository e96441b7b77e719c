namespace MarginOrleans.Markets;

[GenerateSerializer, Alias("MarketDirectoryState")]
public sealed class MarketDirectoryState
{
    [Id(0)] public List<string> Symbols { get; set; } = [];
}

public sealed class MarketDirectoryGrain(
    [PersistentState("markets", MarginCluster.Storage)] IPersistentState<MarketDirectoryState> state) : Grain, IMarketDirectoryGrain
{
    public async Task Add(string symbol)
    {
        if (!state.State.Symbols.Contains(symbol))
        {
            state.State.Symbols.Add(symbol);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Symbols.Order(StringComparer.Ordinal)]);
}
