using Grpc.Core;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway.Services;

/// <summary>The cluster's silos as Orleans' management grain reads them from the membership table.</summary>
public sealed partial class OperationsService
{
    public override async Task<ClusterHealthReply> GetClusterHealth(ClusterHealthRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var reply = new ClusterHealthReply();
        reply.Silos.AddRange(hosts
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new ClusterSilo
            {
                Address = h.SiloAddress.Endpoint.ToString(), Name = h.SiloName ?? "", Status = h.Status.ToString(), Gateway = h.ProxyPort > 0,
                Started = Text.Of(new DateTimeOffset(h.StartTime, TimeSpan.Zero)), Alive = Text.Of(new DateTimeOffset(h.IAmAliveTime, TimeSpan.Zero)),
            }));
        return reply;
    }
}
