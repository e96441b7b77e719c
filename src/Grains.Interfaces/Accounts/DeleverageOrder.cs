using MarginOrleans.Markets;

namespace MarginOrleans.Accounts;

/// <summary>
/// An insurance fund's order to auto-deleverage an account's position on a symbol: close
/// <see cref="Side"/> at <see cref="BankruptcyPrice"/> (the bankrupt position's) until
/// <see cref="Needed"/> is covered; each unit closed covers <see cref="PerUnit"/>, the bankrupt
/// position's deficit per unit, at most the unit's own profit. What it gives up goes to the fund as
/// a transfer named <see cref="TransferId"/> to <see cref="Fund"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("DeleverageOrder")]
public sealed record DeleverageOrder(
    [property: Id(0)] PositionSide Side,
    [property: Id(1)] decimal Needed,
    [property: Id(2)] decimal PerUnit,
    [property: Id(3)] decimal BankruptcyPrice,
    [property: Id(4)] string TransferId,
    [property: Id(5)] string Fund);
