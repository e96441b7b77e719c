namespace MarginOrleans.Accounts;

/// <summary>A created account; the API key is shown only to the request that created it.</summary>
[GenerateSerializer, Immutable, Alias("AccountCreated")]
public sealed record AccountCreated(
    [property: Id(0)] Rejected Result,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string ApiKey);
