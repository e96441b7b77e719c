using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using Microsoft.Extensions.Options;

namespace MarginOrleans.Gateway;

/// <summary>
/// Who is calling: the principal of the `authorization: Bearer &lt;api-key&gt;` metadata (exactly
/// that: <see cref="ApiKeyHeader"/>). Keys are looked up by hash in the cluster and cached for
/// 30–35 s (a rotated key stops working within that); an unknown key is asked again next time.
/// Each known key draws from its own token bucket, the operator's of the size
/// Gateway:RateLimit:Operator… sets; an empty bucket is ResourceExhausted. Work that no known key
/// pays for — anonymous calls (Markets) and the lookup of a key not yet known — draws from a bucket
/// per peer address, so random keys or symbols cannot buy unbounded work.
/// </summary>
public sealed class Callers(IGrainFactory grains, IOptions<RateLimitOptions> options, IOptions<ApiKeyCacheOptions> cache, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, (Principal Principal, DateTimeOffset Until)> known = new();
    /// <summary>Prefixes the operator's partition: its bucket may be sized apart from the per-key one.</summary>
    private const string OperatorPartition = "operator:";

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Limits(options.Value, key).Burst,
            TokensPerPeriod = Limits(options.Value, key).PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static (int PermitsPerSecond, int Burst) Limits(RateLimitOptions o, string partition) =>
        partition.StartsWith(OperatorPartition, StringComparison.Ordinal)
            ? (o.OperatorPermitsPerSecond ?? o.PermitsPerSecond, o.OperatorBurst ?? o.Burst)
            : (o.PermitsPerSecond, o.Burst);

    public void Dispose() => limiter.Dispose();

    /// <summary>An anonymous call (the Markets service): limited per peer address.</summary>
    public void Anonymous(ServerCallContext context) => Anonymous(Peer(context));

    /// <summary>An anonymous call by its peer (<see cref="PeerOf"/>'s form), for doors other than gRPC.</summary>
    public void Anonymous(string peer) => Acquire("peer:" + peer, "per address for calls without an API key");

    private static string Peer(ServerCallContext context) => PeerOf(context.Peer ?? "");

    /// <summary>
    /// gRPC's peer ("ipv4:10.0.0.7:50123", "ipv6:[2001:db8::1]:443") without its port: a client
    /// opening many connections is still one peer. An IPv6 peer is its /64: one subscriber is
    /// given a whole /64, and limiting each of its 2^64 addresses would limit nothing.
    /// </summary>
    public static string PeerOf(string peer)
    {
        var colon = peer.LastIndexOf(':');
        var address = colon > peer.IndexOf(':') ? peer[..colon] : peer;
        if (!address.StartsWith("ipv6:[", StringComparison.Ordinal) || !address.EndsWith(']') || !IPAddress.TryParse(address[6..^1], out var ip))
        {
            return address;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            return $"ipv4:{ip.MapToIPv4()}"; // the same peer as over IPv4: one bucket
        }

        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"ipv6:{new IPAddress(bytes)}/64";
    }

    private void Acquire(string partition, string what)
    {
        using var lease = limiter.AttemptAcquire(partition);
        if (!lease.IsAcquired)
        {
            GatewayMetrics.RateLimited.Add(1);
            var (permits, burst) = Limits(options.Value, partition);
            throw ErrorDetails.Exception(StatusCode.ResourceExhausted, $"rate limit: {permits} requests per second {what} (bursts of {burst})", "RateLimited");
        }
    }

    /// <summary>The calling trader's account id; operators and anonymous callers are refused.</summary>
    public Task<string> Trader(ServerCallContext context, string claimedAccountId = "") =>
        Trader(ApiKeyHeader.Key(context), Peer(context), claimedAccountId);

    /// <summary>The trader of an HTTP request's <c>Authorization</c> header, its peer in <see cref="PeerOf"/>'s form.</summary>
    public Task<string> Trader(string? authorization, string peer) => Trader(ApiKeyHeader.Key(authorization), peer, "");

    private async Task<string> Trader(string key, string peer, string claimedAccountId)
    {
        var principal = await Resolve(key, peer);
        if (principal.Role != Role.Trader)
        {
            throw ErrorDetails.Exception(StatusCode.PermissionDenied, "this call needs a trader's API key", "TraderKeyRequired");
        }

        if (claimedAccountId.Length > 0 && claimedAccountId != principal.AccountId)
        {
            throw ErrorDetails.Exception(StatusCode.PermissionDenied, $"account_id: the key does not speak for account {claimedAccountId}", "AccountNotYours");
        }

        return principal.AccountId;
    }

    /// <summary>The calling trader's own account grain.</summary>
    public async Task<IAccountGrain> Account(ServerCallContext context, string claimedAccountId = "") =>
        grains.GetGrain<IAccountGrain>(await Trader(context, claimedAccountId));

    public async Task Operator(ServerCallContext context)
    {
        if ((await Resolve(ApiKeyHeader.Key(context), Peer(context))).Role != Role.Operator)
        {
            throw ErrorDetails.Exception(StatusCode.PermissionDenied, "this call needs the operator's API key", "OperatorKeyRequired");
        }
    }

    private async Task<Principal> Resolve(string key, string peer)
    {
        var hash = ApiKeys.Hash(key);
        var seen = known.TryGetValue(hash, out var cached);

        // A key never seen costs a storage read in the cluster (and a bucket of its own): its peer
        // pays first. A known key's periodic re-check is its own business, not its peer's.
        if (!seen)
        {
            Acquire("peer:" + peer, "per address for keys not yet known");
        }

        // The key's own bucket once its role is known. Looking up a known key before paying is
        // bounded without a bucket: free while cached, one grain read a cache period.
        var principal = await Lookup(key);
        if (principal.Role == Role.Operator)
        {
            var set = options.Value.OperatorPermitsPerSecond is not null || options.Value.OperatorBurst is not null;
            Acquire(OperatorPartition + hash, set ? "for the operator's key" : "per API key");
        }
        else
        {
            Acquire(hash, "per API key");
        }

        return principal;
    }

    /// <summary>
    /// A long call (an event stream) asks again whether its key still holds: free while the key is
    /// cached, a key read once it is not; never rate-limited, since the stream paid when it opened.
    /// </summary>
    public Task Recheck(ServerCallContext context) => Recheck(ApiKeyHeader.Key(context));

    /// <summary><see cref="Recheck(ServerCallContext)"/> for a key already read from its header.</summary>
    public Task Recheck(string key) => Lookup(key);

    private async Task<Principal> Lookup(string key)
    {
        var hash = ApiKeys.Hash(key);
        if (known.TryGetValue(hash, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Principal;
        }

        // A trader's key names its account, which holds its hash; any other is found by its hash.
        var principal = ApiKeys.AccountOf(key) is { } accountId
            ? await grains.GetGrain<IAccountGrain>(accountId).Authenticate(hash)
            : await grains.GetGrain<IApiKeyGrain>(hash).Resolve();
        if (principal is null)
        {
            known.TryRemove(hash, out _); // revoked
            throw ErrorDetails.Exception(StatusCode.Unauthenticated, "unknown API key", "UnknownApiKey");
        }

        // Spread over a sixth of the time kept, so keys cached together are not all re-checked together.
        var kept = TimeSpan.FromSeconds(cache.Value.Seconds);
        known[hash] = (principal, time.GetUtcNow() + kept + TimeSpan.FromMilliseconds(Random.Shared.Next((int)kept.TotalMilliseconds / 6 + 1)));
        return principal;
    }
}
