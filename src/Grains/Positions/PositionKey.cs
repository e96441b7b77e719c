namespace MarginOrleans.Positions;

/// <summary>The "{account}/{symbol}" key of an isolated position grain.</summary>
public static class PositionKey
{
    public static string Of(string accountId, string symbol) => accountId + "/" + symbol;

    public static (string AccountId, string Symbol) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
