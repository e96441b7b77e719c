using MarginOrleans.Markets;

namespace MarginOrleans.Operations;

/// <summary>
/// One auto-deleveraging order sent to a position's account, numbered (its request id and its
/// transfer's id), recorded before it is sent; <see cref="Paid"/> once its transfer has arrived.
/// </summary>
[GenerateSerializer, Immutable, Alias("DeleverageStep")]
public sealed record DeleverageStep(
    [property: Id(0)] long Number,
    [property: Id(1)] string Owner,
    [property: Id(2)] string Shortfall,
    [property: Id(3)] PositionSide Side,
    [property: Id(4)] decimal Needed,
    [property: Id(5)] decimal PerUnit,
    [property: Id(6)] decimal BankruptcyPrice,
    [property: Id(7)] bool Paid = false,
    [property: Id(8)] string Symbol = "");
