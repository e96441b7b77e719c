using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MarginOrleans.Silo;

/// <summary>
/// The silo's settings checked before anything starts, each problem naming its setting: a typo
/// such as Clustering "Azuretable" would otherwise start a lone localhost silo that never joins.
/// </summary>
public static partial class MarginOptionsCheck
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem; returns the options when there is none.</summary>
    public static MarginOptions Validated(this MarginOptions o)
    {
        var problems = Problems(o).ToList();
        return problems.Count == 0 ? o : throw new OptionsValidationException("Margin", typeof(MarginOptions), problems);
    }

    private static IEnumerable<string> Problems(MarginOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Storage))
        {
            yield return "Margin:Storage (an Azure Storage connection string, or \"memory\") is required.";
        }

        if (MarginCluster.ClusteringProblem(o.Clustering) is { } clustering)
        {
            yield return clustering;
        }

        if (string.IsNullOrWhiteSpace(o.ClusterId))
        {
            yield return "Margin:ClusterId is required.";
        }

        if (o.TablePrefix.Length > 0 && !TableName().IsMatch(o.TablePrefix))
        {
            yield return $"Margin:TablePrefix must be empty or a letter then up to 39 letters or digits (it starts Azure table names), not \"{o.TablePrefix}\".";
        }

        if (o.Clustering == MarginCluster.AzureTableClustering && o.Storage == MarginOptions.MemoryStorage)
        {
            yield return "Margin:Storage \"memory\" keeps tables inside one silo: AzureTable clustering needs an Azure Storage connection string.";
        }

        // Only a cluster's silos listen and advertise on it; a localhost silo listens on loopback.
        if (o.Clustering == MarginCluster.AzureTableClustering && o.AdvertisedAddress != MarginOptions.AnyAddress && !IPAddress.TryParse(o.AdvertisedAddress, out _))
        {
            yield return $"Margin:AdvertisedAddress must be an IP address or \"{MarginOptions.AnyAddress}\", not \"{o.AdvertisedAddress}\".";
        }

        foreach (var (name, port) in new[] { ("SiloPort", o.SiloPort), ("GatewayPort", o.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"Margin:{name} must be 1 to 65535, not {port}.";
            }
        }

        if (o.SiloPort == o.GatewayPort)
        {
            yield return $"Margin:SiloPort and Margin:GatewayPort must differ (both {o.SiloPort}).";
        }

        if (o.Metrics.Port is < 0 or > 65535)
        {
            yield return $"Margin:Metrics:Port must be 0 (off) to 65535, not {o.Metrics.Port}.";
        }

        if (o.Dashboard.Enabled && o.Dashboard.Port is < 1 or > 65535)
        {
            yield return $"Margin:Dashboard:Port must be 1 to 65535, not {o.Dashboard.Port}.";
        }

        if (o.PriceFeed.Enabled && o.PriceFeed.IntervalMilliseconds < 10)
        {
            yield return $"Margin:PriceFeed:IntervalMilliseconds must be at least 10, not {o.PriceFeed.IntervalMilliseconds}.";
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TableName();
}
