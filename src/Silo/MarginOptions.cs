namespace MarginOrleans.Silo;

/// <summary>The "Margin" section of appsettings.json (or MARGIN__* environment variables).</summary>
public sealed class MarginOptions
{
    /// <summary>The <see cref="Storage"/> value that keeps grain state and tables in memory (one silo, measurement only).</summary>
    public const string MemoryStorage = "memory";

    /// <summary>The <see cref="AdvertisedAddress"/> value that listens on every interface and advertises the first non-loopback address (containers).</summary>
    public const string AnyAddress = "any";

    /// <summary>Azure Storage connection string (Azurite locally), or "memory"; cluster membership lives here.</summary>
    public string Storage { get; set; } = "";

    /// <summary>
    /// Several storage accounts to spread the rows over (the first one being <see cref="Storage"/>, which
    /// may then be left out); empty: <see cref="Storage"/> alone. Never change the list over existing data.
    /// </summary>
    public List<string> StorageAccounts { get; set; } = [];

    /// <summary>How many rows of a silo's requests (a batch counts its rows) may be at one storage account at once; the rest wait in order (StorageAdmission).</summary>
    public int StorageOperationsInFlight { get; set; } = DefaultStorageOperationsInFlight;

    /// <summary>Where this machine's Azurite stops gaining throughput (docs/performance.md, "Storage floor"); Azure Table takes more.</summary>
    public const int DefaultStorageOperationsInFlight = 32;

    /// <summary>Put before every table name, so installations can share a storage account.</summary>
    public string TablePrefix { get; set; } = "margin";

    /// <summary>
    /// What this silo is for: "markets" (the tick path's grains prefer it), "trading" (accounts, positions
    /// and funds prefer it), or empty: any grain. See SiloRoles.
    /// </summary>
    public string Role { get; set; } = "";

    /// <summary>"Localhost" for one local silo, "AzureTable" for a cluster.</summary>
    public string Clustering { get; set; } = MarginCluster.LocalhostClustering;
    public string ClusterId { get; set; } = "margin-local";

    /// <summary>The address silos listen on and advertise with AzureTable clustering.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public bool SeedMarkets { get; set; } = true;

    /// <summary>The operator's API key; registered at start so the gateway accepts it.</summary>
    public string OperatorApiKey { get; set; } = "";
    public PriceFeedOptions PriceFeed { get; set; } = new();
    public MetricsOptions Metrics { get; set; } = new();
    public DashboardOptions Dashboard { get; set; } = new();

    /// <summary>The connection strings rows spread over, in their configured order (the hash depends on it).</summary>
    public IReadOnlyList<string> StorageConnections() => StorageAccounts.Count > 0 ? StorageAccounts : [Storage];
}

public sealed class PriceFeedOptions
{
    public bool Enabled { get; set; }
    public int IntervalMilliseconds { get; set; } = 1000;
}

/// <summary>Prometheus scrape endpoint; 0 turns it off.</summary>
public sealed class MetricsOptions
{
    public int Port { get; set; }
}

/// <summary>The Orleans Dashboard on 127.0.0.1; off by default (and in tests).</summary>
public sealed class DashboardOptions
{
    public bool Enabled { get; set; }
    public int Port { get; set; } = 8080;
}
