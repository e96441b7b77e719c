namespace MarginOrleans.Markets;

/// <summary>The one market directory grain's key.</summary>
public static class MarketDirectory
{
    public const string Key = "all";
}
