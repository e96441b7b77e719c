namespace MarginOrleans.Gateway;

/// <summary>
/// Whether the gateway's Orleans client has joined the cluster. The gRPC port opens at once, not
/// after the cluster answers (after a whole-cluster restart that took 24 s), and until then every
/// call is answered Unavailable by <see cref="FailoverInterceptor"/> and the health check says
/// not serving. A gateway in front of an in-process cluster is connected from the start.
/// </summary>
public sealed class ClusterConnection(bool connected) : ILifecycleParticipant<IClusterClientLifecycle>
{
    private volatile bool connected = connected;

    public bool IsConnected => connected;

    public void Participate(IClusterClientLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(ClusterConnection),
        ServiceLifecycleStage.Active,
        _ =>
        {
            connected = true;
            return Task.CompletedTask;
        },
        _ =>
        {
            connected = false;
            return Task.CompletedTask;
        });
}
