namespace MarginOrleans.Operations;

/// <summary>
/// What the audit reads of one fund: its figures, the transfers it has applied whose senders may
/// still count them in flight, and the operator's movements (to find a move's half still missing).
/// </summary>
[GenerateSerializer, Immutable, Alias("FundAudit")]
public sealed record FundAudit(
    [property: Id(0)] string Fund,
    [property: Id(1)] InsuranceFundView View,
    [property: Id(2)] IReadOnlyDictionary<string, decimal> Applied,
    [property: Id(3)] IReadOnlyList<FundMovement> Movements);
