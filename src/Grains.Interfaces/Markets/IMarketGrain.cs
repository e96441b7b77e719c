using Orleans.Concurrency;

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

    /// <summary>The market's parameters and mark, or null when no such market exists. A read: it never queues behind a tick.</summary>
    [AlwaysInterleave, Alias("GetSnapshot")]
    Task<MarketSnapshot?> GetSnapshot();

    /// <summary>
    /// One named source's index price; the market takes the median of its fresh sources (dropping
    /// any more than 5% from it) as the index and derives a guarded mark, then applies them as a
    /// published price. Interleaves like <see cref="PublishPrice"/>.
    /// </summary>
    [AlwaysInterleave, Alias("PublishSourcePrice")]
    Task<PriceUpdate> PublishSourcePrice(string source, decimal price);

    /// <summary>The latest funding times (rate, mark, cumulative index), oldest first.</summary>
    [AlwaysInterleave, Alias("GetFundingHistory")]
    Task<IReadOnlyList<FundingEvent>> GetFundingHistory();

    /// <summary>
    /// A shard's entry count and backlog, sent at most once a second when they changed (and at once
    /// when the backlog is worked off), so the market's figures stay current between ticks.
    /// </summary>
    [OneWay, Alias("ReportShard")]
    Task ReportShard(int shard, ShardCounts counts);

    /// <summary>
    /// Sets index and mark price and fires every trigger the mark crosses; returns once the mark is
    /// durable. Interleaved, so that concurrent ticks share one group-committed write.
    /// </summary>
    [AlwaysInterleave, Alias("PublishPrice")]
    Task<PriceUpdate> PublishPrice(decimal indexPrice, decimal markPrice);
}
