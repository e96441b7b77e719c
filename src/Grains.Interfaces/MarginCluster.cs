namespace MarginOrleans;

/// <summary>What every silo and Orleans client of one installation agrees on.</summary>
public static class MarginCluster
{
    /// <summary>Orleans' service id: stays the same across deployments (grain state is keyed by it); the cluster id names one deployment.</summary>
    public const string ServiceId = "margin";

    /// <summary>The grain storage provider every persistent grain state is kept in.</summary>
    public const string Storage = "margin";

    /// <summary>
    /// How long a call answered once its write is durable (a fund's transfer, a trigger's registration)
    /// may take: past a storage queue of 30 s (a cascade on one emulator), a timeout there made the
    /// caller end its activation and read its state again behind the same queue — more work, not less.
    /// A silo's death still fails the call at once.
    /// </summary>
    public const string DurableAnswerTimeout = "00:02:00";

    /// <summary>The two values of Margin:Clustering: one local silo, or silos that find each other in an Azure table.</summary>
    public const string LocalhostClustering = "Localhost";
    public const string AzureTableClustering = "AzureTable";

    /// <summary>What is wrong with a Margin:Clustering value, for both hosts' start-up checks; null when it is one of the two.</summary>
    public static string? ClusteringProblem(string clustering) => clustering is LocalhostClustering or AzureTableClustering
        ? null
        : $"Margin:Clustering must be \"{LocalhostClustering}\" or \"{AzureTableClustering}\", not \"{clustering}\".";
}
