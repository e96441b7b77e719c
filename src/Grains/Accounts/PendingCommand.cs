using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// A position command recorded before it is sent, so a crash re-drives it instead of losing it.
/// <see cref="Leg"/> is the text of the position's <see cref="LegKey"/> (a one-way leg's is its symbol, as stored before legs).
/// <see cref="Claimed"/>: its request id's row was inserted with it (<see cref="RequestRecord.Claim"/>), to be replaced by the reply or released.
/// </summary>
[GenerateSerializer, Immutable, Alias("PendingCommand")]
public sealed record PendingCommand(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Leg,
    [property: Id(2)] string RequestId,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] string Fingerprint = "",
    [property: Id(5)] bool Claimed = false)
{
    public LegKey Key => LegKey.Parse(Leg);
}
