namespace MarginOrleans.Markets;

/// <summary>Which shard of a market's trigger index holds an owner's entry: a stable hash, the same in every process.</summary>
public static class TriggerShards
{
    public const int Max = 64;

    public static ITriggerShardGrain For(this IGrainFactory grains, MarketSpec spec, string owner) =>
        grains.GetGrain<ITriggerShardGrain>(Key(spec.Symbol, Of(owner, spec.ShardCount)));

    public static IEnumerable<ITriggerShardGrain> All(this IGrainFactory grains, MarketSpec spec) =>
        Enumerable.Range(0, spec.ShardCount).Select(k => grains.GetGrain<ITriggerShardGrain>(Key(spec.Symbol, k)));

    public static string Key(string symbol, int shard) => $"{symbol}/{shard}";

    public static (string Symbol, int Shard) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>FNV-1a over the owner's characters (string.GetHashCode differs per process).</summary>
    public static int Of(string owner, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in owner)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
