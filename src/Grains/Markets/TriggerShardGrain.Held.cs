using MarginOrleans.Storage;

namespace MarginOrleans.Markets;

/// <summary>
/// The entries an isolated position's own row holds (<see cref="PositionTriggers"/>): held here in
/// memory, told before the position's write when they fire sooner and after it otherwise, and
/// released by a row of the shard's own while the position's row still names them.
/// </summary>
public sealed partial class TriggerShardGrain
{
    /// <summary>
    /// Owners whose entry here was told before their row's write and not since: their stored entry
    /// may fire later than the one held, so no move of theirs is deferred as firing later.
    /// </summary>
    private readonly HashSet<string> toldBeforeWrite = new(StringComparer.Ordinal);

    /// <summary>
    /// An entry its owner's own row holds, or will once the write that follows is through (not
    /// <paramref name="stored"/>: published first, since it fires sooner): held in memory and answered
    /// at once. A row of the shard's own for the owner is deleted with the next batch once the owner's
    /// row holds the entry, and replaced by this entry, durably, before an answer that precedes that
    /// write: a release row naming an equal entry (a position reopened as it was) would hide it.
    /// </summary>
    public Task Hold(TriggerEntry entry, decimal markPrice, bool stored)
    {
        mark = mark > 0 ? mark : markPrice;
        var durable = !stored && rows.MayHold(entry.Owner);
        if (durable)
        {
            rows.Set(entry.Owner, new ShardRow(entry), awaited: true);
        }
        else if (stored)
        {
            rows.Delete(entry.Owner);
        }

        _ = stored || durable ? toldBeforeWrite.Remove(entry.Owner) : toldBeforeWrite.Add(entry.Owner);
        Place(entry);
        return durable ? rows.DurableFor(entry.Owner) : Task.CompletedTask;
    }

    /// <summary>
    /// Answered at once, as <see cref="Remove"/>: the owner's own row still names <paramref name="entry"/>
    /// (a delivered liquidation's, until its next write), so a release row naming it rides on the
    /// next batch and a restart does not rebuild it. A crash before then wakes the owner once more.
    /// </summary>
    public Task Release(TriggerEntry entry)
    {
        Forget(entry.Owner);
        rows.Set(entry.Owner, new ShardRow(entry, Released: true), awaited: false);
        return Task.CompletedTask;
    }
}
