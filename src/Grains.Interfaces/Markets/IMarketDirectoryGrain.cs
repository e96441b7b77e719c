namespace MarginOrleans.Markets;

/// <summary>The list of market symbols; one instance, key "all".</summary>
[Alias("IMarketDirectoryGrain")]
public interface IMarketDirectoryGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string symbol);

    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
