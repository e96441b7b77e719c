namespace MarginOrleans.Orders;

/// <summary>What an amendment changes in a conditional order; a null field keeps its value.</summary>
[GenerateSerializer, Immutable, Alias("OrderAmendment")]
public sealed record OrderAmendment(
    [property: Id(0)] decimal? TriggerPrice = null,
    [property: Id(1)] decimal? Quantity = null,
    [property: Id(2)] decimal? CallbackRate = null,
    [property: Id(3)] decimal? ActivationPrice = null,
    [property: Id(4)] DateTimeOffset? GoodTill = null);
