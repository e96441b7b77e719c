using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using Microsoft.Extensions.Options;

namespace MarginOrleans.Gateway;

/// <summary>
/// Who is calling: the principal of the `authorization: Bearer &lt;api-key&gt;` metadata. Keys are
/// looked up by hash in the cluster and cached; an unknown key is asked again next time. Each key
/// (known or not) draws from its own token bucket; an empty bucket is ResourceExhausted.
/// </summary>
public sealed class Callers(IGrainFactory grains, IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Principal> known = new();
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.Burst,
            TokensPerPeriod = options.Value.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose() => limiter.Dispose();

    /// <summary>The calling trader's account id; operators and anonymous callers are refused.</summary>
    public async Task<string> Trader(ServerCallContext context, string claimedAccountId = "")
    {
        var principal = await Resolve(context);
        if (principal.Role != Role.Trader)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this call needs a trader's API key"));
        }

        if (claimedAccountId.Length > 0 && claimedAccountId != principal.AccountId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"account_id: the key does not speak for account {claimedAccountId}"));
        }

        return principal.AccountId;
    }

    /// <summary>The calling trader's own account grain.</summary>
    public async Task<IAccountGrain> Account(ServerCallContext context, string claimedAccountId = "") =>
        grains.GetGrain<IAccountGrain>(await Trader(context, claimedAccountId));

    public async Task Operator(ServerCallContext context)
    {
        if ((await Resolve(context)).Role != Role.Operator)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this call needs the operator's API key"));
        }
    }

    private async Task<Principal> Resolve(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length <= 7)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "missing `authorization: Bearer <api-key>` metadata"));
        }

        var hash = ApiKeys.Hash(header[7..].Trim());
        using (var lease = limiter.AttemptAcquire(hash))
        {
            if (!lease.IsAcquired)
            {
                GatewayMetrics.RateLimited.Add(1);
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"rate limit: {options.Value.PermitsPerSecond} requests per second per API key (bursts of {options.Value.Burst})"));
            }
        }

        if (known.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        var principal = await grains.GetGrain<IApiKeyGrain>(hash).Resolve()
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown API key"));
        return known[hash] = principal;
    }
}
