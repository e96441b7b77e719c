namespace MarginOrleans;

/// <summary>The outcome of a check: <see cref="Rejection.None"/> or a reason with its detail.</summary>
[GenerateSerializer, Immutable, Alias("Rejected")]
public sealed record Rejected([property: Id(0)] Rejection Reason, [property: Id(1)] string Detail)
{
    public static readonly Rejected Ok = new(Rejection.None, "");
    public bool IsOk => Reason == Rejection.None;
}
