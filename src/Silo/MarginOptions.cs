namespace MarginOrleans.Silo;

/// <summary>The "Margin" section of appsettings.json (or MARGIN__* environment variables).</summary>
public sealed class MarginOptions
{
    /// <summary>Azure Storage connection string (Azurite locally).</summary>
    public string Storage { get; set; } = "";

    /// <summary>Put before every table name, so installations can share a storage account.</summary>
    public string TablePrefix { get; set; } = "margin";

    /// <summary>"Localhost" for one local silo, "AzureTable" for a cluster.</summary>
    public string Clustering { get; set; } = "Localhost";
    public string ClusterId { get; set; } = "margin-local";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public bool SeedMarkets { get; set; } = true;

    /// <summary>The operator's API key; registered at start so the gateway accepts it.</summary>
    public string OperatorApiKey { get; set; } = "";
    public PriceFeedOptions PriceFeed { get; set; } = new();
}

public sealed class PriceFeedOptions
{
    public bool Enabled { get; set; }
    public int IntervalMilliseconds { get; set; } = 1000;
}
