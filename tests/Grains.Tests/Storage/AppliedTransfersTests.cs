using MarginOrleans.Operations;

namespace MarginOrleans.Tests.Storage;

/// <summary>What a fund's next write must store of its applied transfers, when writes overlap confirmations and fail.</summary>
public sealed class AppliedTransfersTests
{
    [Fact]
    public void AWritesNewIds_GoInOneRowOfItsNumber_AndConfirmationsRewriteTheirRowsNextWrite()
    {
        var applied = new AppliedTransfers([new AppliedRow("old", 1, new() { ["stored"] = 1m, ["kept"] = 5m })]);
        applied.Add("a", 2m);
        applied.Add("b", 3m);

        var writing = applied.Take(2);
        applied.Forget("a");        // its row is being written: the next write rewrites it
        applied.Add("c", 4m);
        applied.Forget("c");        // never written: nothing to store
        applied.Forget("stored");

        var fresh = Assert.Single(writing);
        Assert.Equal(("~0000000000000000002-0000", 2L), (fresh.Key, fresh.Commit));
        Assert.Equal(new Dictionary<string, decimal> { ["a"] = 2m, ["b"] = 3m }, fresh.Transfers);

        var next = applied.Take(3).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        Assert.Equal([("old", 1L), (fresh.Key, 2L)], next.Select(r => (r.Key, r.Commit)));
        Assert.Equal(new Dictionary<string, decimal> { ["kept"] = 5m }, next[0].Transfers);
        Assert.Equal(new Dictionary<string, decimal> { ["b"] = 3m }, next[1].Transfers);
        Assert.Equal(new Dictionary<string, decimal> { ["b"] = 3m, ["kept"] = 5m }, applied.All);
    }

    [Fact]
    public void ARowLeftWithoutTransfers_IsHandedOnceEmpty_ToBeDeleted()
    {
        var applied = new AppliedTransfers([new AppliedRow("old", 1, new() { ["x"] = 1m })]);
        applied.Forget("x");
        applied.Forget("x");

        var emptied = Assert.Single(applied.Shrunk());
        Assert.Equal("old", emptied.Key);
        Assert.Empty(emptied.Transfers);
        Assert.Empty(applied.Take(2));
    }

    [Fact]
    public void AFailedWritesRows_AreWrittenAgainWithWhatTheyHoldThen_UnderTheirOwnNumber()
    {
        var applied = new AppliedTransfers([new AppliedRow("old", 1, new() { ["x"] = 1m })]);
        applied.Add("a", 2m);
        applied.Add("b", 3m);
        applied.Forget("x");
        var failed = applied.Take(2);
        applied.Forget("a");        // may have landed before the write failed

        applied.Return(failed);

        var next = applied.Take(3).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        Assert.Equal([("old", 1L, 0), ("~0000000000000000002-0000", 2L, 1)], next.Select(r => (r.Key, r.Commit, r.Transfers.Count)));
        Assert.Equal(3m, next[1].Transfers["b"]);
    }

    [Fact]
    public void AWriteOfMoreIdsThanARowHolds_SplitsThemOverRowsOfItsNumber()
    {
        var applied = new AppliedTransfers([]);
        for (var i = 0; i < (2 * AppliedTransfers.PerRow) + 100; i++)
        {
            applied.Add($"t{i}", i);
        }

        var rows = applied.Take(7);
        Assert.Equal([AppliedTransfers.PerRow, AppliedTransfers.PerRow, 100], rows.Select(r => r.Transfers.Count));
        Assert.Equal(["~0000000000000000007-0000", "~0000000000000000007-0001", "~0000000000000000007-0002"], rows.Select(r => r.Key));
        Assert.Equal(Enumerable.Range(0, (2 * AppliedTransfers.PerRow) + 100).Sum(i => (decimal)i), rows.Sum(r => r.Transfers.Values.Sum()));
    }
}
