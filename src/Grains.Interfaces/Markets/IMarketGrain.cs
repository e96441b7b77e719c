namespace MarginOrleans.Markets;

/// <summary>One perpetual market, keyed by symbol: its parameters, mark price and trigger index.</summary>
[Alias("IMarketGrain")]
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Creates the market; rejected if it exists or the spec is invalid.</summary>
    [Alias("Create")]
    Task<Rejected> Create(MarketSpec spec);

    /// <summary>Replaces the market's parameters (fees, brackets); tick and lot sizes stay.</summary>
    [Alias("Update")]
    Task<Rejected> Update(MarketSpec spec);

    /// <summary>The market's parameters and mark, or null when no such market exists.</summary>
    [Alias("GetSnapshot")]
    Task<MarketSnapshot?> GetSnapshot();

    /// <summary>Sets index and mark price and fires every trigger the mark crosses.</summary>
    [Alias("PublishPrice")]
    Task<PriceUpdate> PublishPrice(decimal indexPrice, decimal markPrice);

    /// <summary>Adds or moves the trigger of one owner (the caller has persisted it first).</summary>
    [Alias("RegisterTrigger")]
    Task RegisterTrigger(TriggerEntry entry);

    /// <summary>Removes the trigger of one owner, if any.</summary>
    [Alias("RemoveTrigger")]
    Task RemoveTrigger(string owner);
}
