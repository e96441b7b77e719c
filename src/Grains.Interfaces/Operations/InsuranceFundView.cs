namespace MarginOrleans.Operations;

/// <summary>
/// A fund's figures. <see cref="Balance"/> never goes below zero; <see cref="Owed"/> is what it paid
/// beyond it (owed to the house), being collected by auto-deleveraging: zero whenever the balance is
/// above zero. <see cref="Deleveraged"/> is all that auto-deleveraging ever collected.
/// </summary>
[GenerateSerializer, Immutable, Alias("InsuranceFundView")]
public sealed record InsuranceFundView(
    [property: Id(0)] decimal Balance,
    [property: Id(1)] decimal Received,
    [property: Id(2)] decimal Paid,
    [property: Id(3)] decimal ToppedUp = 0m,
    [property: Id(4)] decimal Owed = 0m,
    [property: Id(5)] decimal Deleveraged = 0m);
