using MarginOrleans.Storage;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A shard that activates merges its own rows with its positions' rows: for an owner in both the
/// sooner entry, whichever row holds it; a release row hides the entry it names and no other.
/// </summary>
public sealed class ShardRebuildTests
{
    private static TriggerEntry Long(string owner, decimal price) => new(owner, TriggerDirection.AtOrBelow, price);

    [Fact]
    public void ForAnOwnerInBoth_TheSoonerEntry_AndAReleaseRowHidesOnlyTheEntryItNames()
    {
        var own = new StoredShard(
            [Long("a", 18_000m), Long("b", 18_500m), Long("x:c", 19_000m)],
            [Long("d", 18_072.28915663m), Long("e", 18_072.28915663m)]);
        TriggerEntry[] held =
        [
            Long("a", 18_200m), // sooner than the shard's row: a long's liquidation fires at or below
            Long("b", 18_300m), // later: the shard's row stands
            Long("d", 18_072.28915663m), // the released entry, still named by the position's row
            Long("e", 17_900m), // the position's row written since: not the one released
            Long("f", 17_000m),
        ];

        Assert.Equal(
            [Long("a", 18_200m), Long("b", 18_500m), Long("e", 17_900m), Long("f", 17_000m), Long("x:c", 19_000m)],
            ShardRebuild.Entries(own, held).OrderBy(e => e.Owner, StringComparer.Ordinal));
    }
}
