using Microsoft.Extensions.Options;

namespace MarginOrleans.Gateway;

/// <summary>
/// The "Margin" settings the gateway shares with the silos: which cluster to join and how to find
/// it. Checked before the host starts, each problem naming its setting — a typo in Clustering
/// used to make a gateway look for a local silo that is not there.
/// </summary>
public sealed record ClusterSettings(string ClusterId, string Clustering, string Storage, int GatewayPort)
{
    public bool UsesAzureTable => Clustering == MarginCluster.AzureTableClustering;

    public static ClusterSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Margin");
        var problems = new List<string>();
        var clustering = section["Clustering"] ?? MarginCluster.LocalhostClustering;
        if (MarginCluster.ClusteringProblem(clustering) is { } problem)
        {
            problems.Add(problem);
        }

        var storage = section["Storage"] ?? "";
        if (clustering == MarginCluster.AzureTableClustering && string.IsNullOrWhiteSpace(storage))
        {
            problems.Add("Margin:Storage (the cluster's Azure Storage connection string) is required with AzureTable clustering.");
        }

        var port = section["GatewayPort"] ?? "30000";
        if (!int.TryParse(port, out var gatewayPort) || gatewayPort is < 1 or > 65535)
        {
            problems.Add($"Margin:GatewayPort must be 1 to 65535, not \"{port}\".");
        }

        var clusterId = section["ClusterId"] ?? "margin-local";
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            problems.Add("Margin:ClusterId is required.");
        }

        return problems.Count == 0
            ? new ClusterSettings(clusterId, clustering, storage, gatewayPort)
            : throw new OptionsValidationException("Margin", typeof(ClusterSettings), problems);
    }
}
