namespace MarginOrleans.Operations;

[Alias("Role")]
public enum Role
{
    Trader = 1,
    Operator = 2,
}

/// <summary>Who an API key speaks for.</summary>
[GenerateSerializer, Immutable, Alias("Principal")]
public sealed record Principal([property: Id(0)] Role Role, [property: Id(1)] string AccountId);
