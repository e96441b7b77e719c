namespace MarginOrleans.Operations;

[GenerateSerializer, Immutable, Alias("InsuranceFundView")]
public sealed record InsuranceFundView(
    [property: Id(0)] decimal Balance,
    [property: Id(1)] decimal Received,
    [property: Id(2)] decimal Paid,
    [property: Id(3)] decimal ToppedUp = 0m);
