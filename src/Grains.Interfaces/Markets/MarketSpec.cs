namespace MarginOrleans.Markets;

/// <summary>The contract parameters of one perpetual market.</summary>
[GenerateSerializer, Immutable, Alias("MarketSpec")]
public sealed record MarketSpec(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal TickSize,
    [property: Id(2)] decimal LotSize,
    [property: Id(3)] decimal TakerFeeRate,
    [property: Id(4)] IReadOnlyList<BracketSpec> Brackets,
    [property: Id(5)] int TriggerShards = MarketSpec.DefaultTriggerShards,
    [property: Id(6)] FundingSpec? Funding = null,
    [property: Id(7)] int StaleAfterSeconds = 0,
    [property: Id(8)] decimal? CircuitBreaker = null,
    [property: Id(9)] bool SharedInsuranceFund = false)
{
    /// <summary>
    /// The insurance fund its liquidations pay into and draw on: its own (keyed by its symbol), or
    /// the one fund shared by every market that chooses it (an operator pooling small markets).
    /// </summary>
    public string InsuranceFund => SharedInsuranceFund ? Operations.InsuranceFunds.Shared : Symbol;

    /// <summary>Funding parameters; a spec stored before funding existed pays every 8 h at the defaults.</summary>
    public FundingSpec FundingOrDefault => Funding ?? FundingSpec.Default;

    public const int DefaultTriggerShards = 4;

    /// <summary>Shards of the trigger index; a spec stored before shards existed has one.</summary>
    public int ShardCount => TriggerShards > 0 ? TriggerShards : 1;

    /// <summary>The market's leverage cap: that of its first bracket.</summary>
    public int LeverageMax => Brackets.Count == 0 ? 0 : Brackets[0].LeverageMax;
}
