namespace MarginOrleans.Positions;

/// <summary>
/// The key of an isolated position grain: "{account}/{leg}" — "{account}/{symbol}" for a one-way
/// leg (as stored before there were legs), "{account}/{symbol}/LONG|SHORT" for a hedge leg.
/// Account ids hold no '/'.
/// </summary>
public static class PositionKey
{
    public static string Of(string accountId, LegKey leg) => accountId + "/" + leg;

    public static (string AccountId, LegKey Leg) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], LegKey.Parse(key[(slash + 1)..]));
    }
}
