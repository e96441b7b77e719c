namespace MarginOrleans.Operations;

/// <summary>One API key, keyed by the hex SHA-256 of the key: the key itself is never stored.</summary>
[Alias("IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("Assign")]
    Task Assign(Principal principal);

    /// <summary>The key speaks for nobody from now on (a rotated key).</summary>
    [Alias("Revoke")]
    Task Revoke();

    /// <summary>The principal the key speaks for, or null for an unknown key.</summary>
    [Alias("Resolve")]
    Task<Principal?> Resolve();
}
