namespace MarginOrleans.Gateway;

/// <summary>
/// Whether the gateway's Orleans client has joined the cluster. The gRPC port opens at once, not
/// after the cluster answers (after a whole-cluster restart that took 24 s), and until then every
/// call is answered Unavailable by <see cref="FailoverInterceptor"/> and the health check says
/// not serving. A gateway in front of an in-process cluster is connected from the start.
/// </summary>
public sealed class ClusterConnection(bool connected, ILogger log) : ILifecycleParticipant<IClusterClientLifecycle>
{
    /// <summary>Logged once connected: scripts wait for this line before they send work.</summary>
    public const string Joined = "The gateway joined the silo cluster";

    private volatile bool connected = connected;

    public bool IsConnected => connected;

    public void Participate(IClusterClientLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(ClusterConnection),
        ServiceLifecycleStage.Active,
        _ =>
        {
            connected = true;
            log.LogInformation(Joined);
            return Task.CompletedTask;
        },
        _ =>
        {
            connected = false;
            return Task.CompletedTask;
        });
}
