namespace MarginOrleans;

/// <summary>What every silo and Orleans client of one installation agrees on.</summary>
public static class MarginCluster
{
    /// <summary>Orleans' service id: stays the same across deployments (grain state is keyed by it); the cluster id names one deployment.</summary>
    public const string ServiceId = "margin";

    /// <summary>The grain storage provider every persistent grain state is kept in.</summary>
    public const string Storage = "margin";
}
