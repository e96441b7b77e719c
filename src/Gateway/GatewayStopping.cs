using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>
/// Ends open streams when the gateway stops. Kestrel otherwise waits for every open stream (a
/// `margin watch` never ends its own) for the whole shutdown timeout: Ctrl-C took 33 s. A stream
/// ends Unavailable, the status that tells its client to reconnect (to this gateway once it is
/// back, or another).
/// </summary>
public sealed class GatewayStopping(IHostApplicationLifetime lifetime)
{
    public const string Message = "the gateway is shutting down; reconnect";

    /// <summary>Cancelled when the caller goes away or the gateway stops.</summary>
    public CancellationTokenSource Link(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    /// <summary>Cancelled when an HTTP client goes away (<paramref name="aborted"/>) or the gateway stops.</summary>
    public CancellationTokenSource Link(CancellationToken aborted) =>
        CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);

    /// <summary>Cancelled when the gateway stops.</summary>
    public CancellationToken Token => lifetime.ApplicationStopping;

    public bool IsStopping => lifetime.ApplicationStopping.IsCancellationRequested;

    public static RpcException Ended() => ErrorDetails.Exception(StatusCode.Unavailable, Message, ErrorDetails.RetrySafe);
}
