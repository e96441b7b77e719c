using MarginOrleans.Markets;

namespace MarginOrleans.Operations;

/// <summary>Every insurance fund: one per listed market (keyed by its symbol), and the one shared fund liquidations paid into before.</summary>
public static class InsuranceFunds
{
    /// <summary>The single fund every liquidation paid into before each market had its own; still counted by the audit.</summary>
    public const string Shared = "USDT";

    public static async Task<IReadOnlyList<(string Fund, InsuranceFundView View)>> All(IGrainFactory grains)
    {
        var symbols = await grains.GetGrain<IMarketDirectoryGrain>("all").List();
        var keys = symbols.Append(Shared).Distinct(StringComparer.Ordinal).ToList();
        var views = await Task.WhenAll(keys.Select(k => grains.GetGrain<IInsuranceFundGrain>(k).Get()));
        return [.. keys.Zip(views)];
    }
}
