using MarginOrleans.Markets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MarginOrleans.Gateway;

/// <summary>Healthy when the cluster answers a grain call: what a load balancer needs to know of a gateway.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains, ClusterConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return HealthCheckResult.Unhealthy("the gateway is still connecting to the silo cluster");
        }

        try
        {
            await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("the silo cluster does not answer", e);
        }
    }
}
