using MarginOrleans.Positions;
using MarginOrleans.Storage;

namespace MarginOrleans.Markets;

/// <summary>What a shard that activates holds: each owner's entry from its own rows and from its positions' rows.</summary>
public static class ShardRebuild
{
    /// <summary>
    /// Where both hold an entry for an owner, the sooner (early, never late: either may be the newer —
    /// a row of the shard's own written after the owner's, for a plan moved without a write, or the
    /// owner's written after a delete of the shard's that a crash lost); a release row hides the entry
    /// it names, and only that one.
    /// </summary>
    public static List<TriggerEntry> Entries(StoredShard own, IEnumerable<TriggerEntry> held)
    {
        var entries = own.Entries.ToDictionary(e => e.Owner, StringComparer.Ordinal);
        var released = own.Released.ToDictionary(e => e.Owner, StringComparer.Ordinal);
        foreach (var entry in held)
        {
            if (released.GetValueOrDefault(entry.Owner) == entry)
            {
                continue;
            }

            if (!entries.TryGetValue(entry.Owner, out var ownRow) || TriggerPlan.FiresNoLater(entry, ownRow))
            {
                entries[entry.Owner] = entry;
            }
        }

        return [.. entries.Values];
    }
}
