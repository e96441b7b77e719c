namespace MarginOrleans.Markets;

[GenerateSerializer, Alias("MarketDirectoryState")]
public sealed class MarketDirectoryState
{
    [Id(0)] public List<string> Symbols { get; set; } = [];
}

public sealed class MarketDirectoryGrain(
    [PersistentState("markets", MarginCluster.Storage)] IPersistentState<MarketDirectoryState> state, IFaultInjector faults) : Grain, IMarketDirectoryGrain
{
    public async Task Add(string symbol)
    {
        if (state.State.Symbols.Contains(symbol))
        {
            return;
        }

        state.State.Symbols.Add(symbol);
        try
        {
            faults.At(FaultPoints.DirectoryUnanswered, symbol);
            await state.WriteStateAsync();
        }
        catch
        {
            // As a market's failed write: reload what is stored (else Contains would skip the write for
            // good, and a write that landed unanswered would leave the ETag stale).
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Symbols.Order(StringComparer.Ordinal)]);
}
