namespace MarginOrleans.Markets;

/// <summary>
/// A market's parameters with its current mark, as handed to the grains that price against it;
/// <see cref="Backlog"/> counts owners its shards woke that have not answered yet. <see cref="Stale"/>:
/// no price for longer than the market's staleness window — no new risk, no liquidation on it.
/// <see cref="TriggerCount"/> and <see cref="Backlog"/> count the shards heard from since the market
/// activated; <see cref="ShardsUnheard"/> says how many have not reported yet (their entries unknown).
/// </summary>
[GenerateSerializer, Immutable, Alias("MarketSnapshot")]
public sealed record MarketSnapshot(
    [property: Id(0)] MarketSpec Spec,
    [property: Id(1)] decimal MarkPrice,
    [property: Id(2)] decimal IndexPrice,
    [property: Id(3)] DateTimeOffset MarkTime,
    [property: Id(4)] int TriggerCount,
    [property: Id(5)] IReadOnlyList<BracketView> Brackets,
    [property: Id(6)] int Backlog,
    [property: Id(7)] FundingView Funding,
    [property: Id(8)] bool Stale = false,
    [property: Id(9)] decimal? HeldMark = null,
    [property: Id(10)] int ShardsUnheard = 0)
{
    public bool HasMark => MarkPrice > 0;
}
