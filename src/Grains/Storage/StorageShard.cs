using System.Text;

namespace MarginOrleans.Storage;

/// <summary>
/// Which of N storage accounts holds a key's rows: FNV-1a over the key's UTF-8 bytes, modulo N.
/// Stable across processes and versions (string.GetHashCode is not), because the answer is where
/// data already lies: changing it, or N, would leave rows where no reader looks.
/// </summary>
public static class StorageShard
{
    public static int Of(string key, int accounts)
    {
        Invariant.Assert(accounts > 0, "at least one storage account");
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)accounts);
    }

    /// <summary>
    /// The part of a grain key that picks its storage account: up to the first '/', so a position
    /// ("acc-42/BTC-USDT/…") lies beside its account ("acc-42"); a market's or fund's key is its symbol.
    /// </summary>
    public static string RoutingKey(string grainKey) => grainKey.IndexOf('/', StringComparison.Ordinal) is >= 0 and var slash ? grainKey[..slash] : grainKey;
}
