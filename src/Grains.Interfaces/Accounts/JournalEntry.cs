namespace MarginOrleans.Accounts;

/// <summary>One row of an account's journal: a money movement or position event.</summary>
[GenerateSerializer, Immutable, Alias("JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] JournalKind Kind,
    [property: Id(3)] string Symbol,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] decimal Price,
    [property: Id(6)] decimal WalletDelta,
    [property: Id(7)] decimal RealizedPnl,
    [property: Id(8)] decimal Fee,
    [property: Id(9)] decimal WalletBalance,
    [property: Id(10)] string RequestId);
