namespace MarginOrleans.Markets;

/// <summary>
/// One price bucket of a liquidation heatmap, for one side: how many liquidation entries fire in
/// it (at the price each fires at now, funding shift applied) and their notional at entry
/// (quantity × entry price, the size of the positions it would liquidate).
/// </summary>
[GenerateSerializer, Immutable, Alias("HeatCell")]
public sealed record HeatCell(
    [property: Id(0)] int Bucket,
    [property: Id(1)] PositionSide Side,
    [property: Id(2)] decimal Notional,
    [property: Id(3)] int Count);
