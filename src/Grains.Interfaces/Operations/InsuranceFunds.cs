using MarginOrleans.Markets;

namespace MarginOrleans.Operations;

/// <summary>Every insurance fund: one per listed market (keyed by its symbol), and the one shared fund liquidations paid into before.</summary>
public static class InsuranceFunds
{
    /// <summary>The single fund every liquidation paid into before each market had its own; still counted by the audit.</summary>
    public const string Shared = "USDT";

    public static async Task<IReadOnlyList<(string Fund, InsuranceFundView View)>> All(IGrainFactory grains)
    {
        var keys = await Keys(grains);
        var views = await Task.WhenAll(keys.Select(k => grains.GetGrain<IInsuranceFundGrain>(k).Get()));
        return [.. keys.Zip(views)];
    }

    /// <summary>What the conservation audit reads of every fund.</summary>
    public static async Task<IReadOnlyList<FundAudit>> Audits(IGrainFactory grains) =>
        await Task.WhenAll((await Keys(grains)).Select(k => grains.GetGrain<IInsuranceFundGrain>(k).GetAudit()));

    private static async Task<IReadOnlyList<string>> Keys(IGrainFactory grains)
    {
        var symbols = await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List();
        return [.. symbols.Append(Shared).Distinct(StringComparer.Ordinal)];
    }
}
