using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace MarginOrleans.Gateway;

/// <summary>
/// Errors of a silo failover (a dead silo, a rejected or timed-out message) become precise
/// statuses instead of UNKNOWN, saying that a retry with the same request id is safe — every
/// command is idempotent by its request id. Until the gateway has joined the cluster, every call
/// but the health check is answered Unavailable.
/// </summary>
public sealed class FailoverInterceptor(ClusterConnection connection) : Interceptor
{
    public const string RetryIsSafe = "retry with the same request id: the command runs at most once";

    public const string Connecting = "the gateway is still connecting to the silo cluster; retry shortly";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        RequireCluster(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (StatusOf(e) is { } status)
        {
            throw ErrorDetails.Exception(status.StatusCode, status.Detail, ErrorDetails.RetrySafe);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RequireCluster(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (StatusOf(e) is { } status)
        {
            throw ErrorDetails.Exception(status.StatusCode, status.Detail, ErrorDetails.RetrySafe);
        }
    }

    /// <summary>The health check answers for itself (not serving), so a load balancer can tell a connecting gateway.</summary>
    private void RequireCluster(ServerCallContext context)
    {
        if (!connection.IsConnected && !context.Method.StartsWith("/grpc.health.", StringComparison.Ordinal))
        {
            throw ErrorDetails.Exception(StatusCode.Unavailable, Connecting, ErrorDetails.RetrySafe);
        }
    }

    /// <summary>The status of a cluster failure, or null for anything else (left as it is).</summary>
    public static Status? StatusOf(Exception exception) => exception switch
    {
        TimeoutException => new Status(StatusCode.DeadlineExceeded, $"the cluster did not answer in time (a silo may be failing over); {RetryIsSafe}"),
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException
            => new Status(StatusCode.Unavailable, $"a silo is unavailable (failing over); {RetryIsSafe}"),
        InconsistentStateException => new Status(StatusCode.Aborted, $"a write met a newer state (a grain moved between silos); {RetryIsSafe}"),
        _ => null,
    };
}
