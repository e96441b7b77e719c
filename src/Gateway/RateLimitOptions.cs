namespace MarginOrleans.Gateway;

/// <summary>The "Gateway:RateLimit" section: a token bucket per API key (and per peer address for calls no known key pays for).</summary>
public sealed class RateLimitOptions
{
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>How many requests a key may send at once after being idle.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>
    /// The operator's key's own refill; unset, <see cref="PermitsPerSecond"/>. Raised for an
    /// operator's script or a fuzz run, it grows no trader's bucket.
    /// </summary>
    public int? OperatorPermitsPerSecond { get; set; }

    /// <summary>The operator's key's own burst; unset, <see cref="Burst"/>.</summary>
    public int? OperatorBurst { get; set; }
}

/// <summary>The "Gateway:ApiKeyCache" section: how long a gateway trusts a key it has resolved (a revoked key works here at most this long, plus a sixth).</summary>
public sealed class ApiKeyCacheOptions
{
    public int Seconds { get; set; } = 30;
}
