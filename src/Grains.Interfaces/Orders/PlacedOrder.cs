namespace MarginOrleans.Orders;

/// <summary>A conditional order the account holds, under the id it was given (numbered per account from 1).</summary>
[GenerateSerializer, Immutable, Alias("PlacedOrder")]
public sealed record PlacedOrder(
    [property: Id(0)] long OrderId,
    [property: Id(1)] ConditionalOrder Order,
    [property: Id(2)] DateTimeOffset PlacedAt,
    [property: Id(3)] string RequestId);
