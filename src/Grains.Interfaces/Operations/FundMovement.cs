namespace MarginOrleans.Operations;

public enum FundMovementKind
{
    TopUp = 1,
    MovedOut = 2,
    MovedIn = 3,
}

/// <summary>An operator's movement of a fund's money, journaled by the fund: a top-up, or either half of a move between funds.</summary>
[GenerateSerializer, Immutable, Alias("FundMovement")]
public sealed record FundMovement(
    [property: Id(0)] string RequestId,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] FundMovementKind Kind,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string OtherFund);
