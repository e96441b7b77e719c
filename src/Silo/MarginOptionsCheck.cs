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
    public static MarginOptions Validated(this MarginOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? options : throw new OptionsValidationException("Margin", typeof(MarginOptions), problems);
    }

    private static IEnumerable<string> Problems(MarginOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Storage) && options.StorageAccounts.Count == 0)
        {
            yield return "Margin:Storage (an Azure Storage connection string, or \"memory\") is required.";
        }

        if (options.StorageAccounts.Count > 0 && StorageAccountsProblem(options) is { } accounts)
        {
            yield return accounts;
        }

        if (options.StorageOperationsInFlight < 1)
        {
            yield return $"Margin:StorageOperationsInFlight must be at least 1, not {options.StorageOperationsInFlight}.";
        }

        if (options.Role.Length > 0 && !Placement.SiloRoles.All.Contains(options.Role))
        {
            yield return $"Margin:Role must be empty, {string.Join(" or ", Placement.SiloRoles.All.Select(r => $"\"{r}\""))}, not \"{options.Role}\".";
        }

        if (MarginCluster.ClusteringProblem(options.Clustering) is { } clustering)
        {
            yield return clustering;
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            yield return "Margin:ClusterId is required.";
        }

        if (options.TablePrefix.Length > 0 && !TableName().IsMatch(options.TablePrefix))
        {
            yield return $"Margin:TablePrefix must be empty or a letter then up to 39 letters or digits (it starts Azure table names), not \"{options.TablePrefix}\".";
        }

        if (options.Clustering == MarginCluster.AzureTableClustering && options.StorageConnections()[0] == MarginOptions.MemoryStorage)
        {
            yield return "Margin:Storage \"memory\" keeps tables inside one silo: AzureTable clustering needs an Azure Storage connection string.";
        }

        // Only a cluster's silos listen and advertise on it; a localhost silo listens on loopback.
        if (options.Clustering == MarginCluster.AzureTableClustering && options.AdvertisedAddress != MarginOptions.AnyAddress && !IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            yield return $"Margin:AdvertisedAddress must be an IP address or \"{MarginOptions.AnyAddress}\", not \"{options.AdvertisedAddress}\".";
        }

        foreach (var (name, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"Margin:{name} must be 1 to 65535, not {port}.";
            }
        }

        if (options.SiloPort == options.GatewayPort)
        {
            yield return $"Margin:SiloPort and Margin:GatewayPort must differ (both {options.SiloPort}).";
        }

        if (options.Metrics.Port is < 0 or > 65535)
        {
            yield return $"Margin:Metrics:Port must be 0 (off) to 65535, not {options.Metrics.Port}.";
        }

        if (options.Dashboard.Enabled && options.Dashboard.Port is < 1 or > 65535)
        {
            yield return $"Margin:Dashboard:Port must be 1 to 65535, not {options.Dashboard.Port}.";
        }

        if (options.PriceFeed.Enabled && options.PriceFeed.IntervalMilliseconds < 10)
        {
            yield return $"Margin:PriceFeed:IntervalMilliseconds must be at least 10, not {options.PriceFeed.IntervalMilliseconds}.";
        }
    }

    private static string? StorageAccountsProblem(MarginOptions options)
    {
        if (options.StorageAccounts.Any(string.IsNullOrWhiteSpace) || options.StorageAccounts.Contains(MarginOptions.MemoryStorage))
        {
            return "Margin:StorageAccounts must list Azure Storage connection strings, none empty or \"memory\".";
        }

        if (options.StorageAccounts.Distinct().Count() != options.StorageAccounts.Count)
        {
            return "Margin:StorageAccounts lists one connection string twice.";
        }

        return options.Storage.Length > 0 && options.Storage != options.StorageAccounts[0]
            ? "Margin:Storage must be the first of Margin:StorageAccounts (cluster membership lives there), or be left out."
            : null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TableName();
}
