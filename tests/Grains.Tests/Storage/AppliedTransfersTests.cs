using MarginOrleans.Operations;

namespace MarginOrleans.Tests.Storage;

/// <summary>What a fund's next write must store of its applied transfers, when writes overlap confirmations and fail.</summary>
public sealed class AppliedTransfersTests
{
    [Fact]
    public void AConfirmationDuringAWrite_DeletesTheRowNextWrite_AndOneBeforeAnyWriteNeverWritesIt()
    {
        var applied = new AppliedTransfers(new() { ["stored"] = 1m });
        applied.Add("a", 2m);
        applied.Add("b", 3m);

        var writing = applied.Take();
        applied.Forget("a");        // its row is being written: the next write deletes it
        applied.Add("c", 4m);
        applied.Forget("c");        // never written: nothing to store
        applied.Forget("stored");

        Assert.Equal(new Dictionary<string, decimal> { ["a"] = 2m, ["b"] = 3m }, writing.Applied);
        var next = applied.Take();
        Assert.Empty(next.Applied);
        Assert.Equal(["a", "stored"], next.Forgotten.Order());
        Assert.Equal(new Dictionary<string, decimal> { ["b"] = 3m }, applied.All);
    }

    [Fact]
    public void AFailedWritesChanges_GoToTheNextWrite_ExceptRowsConfirmedMeanwhile_WhichAreDeleted()
    {
        var applied = new AppliedTransfers([]);
        applied.Add("a", 2m);
        applied.Add("b", 3m);
        applied.Forget("x");        // unknown: nothing
        var failed = applied.Take();
        applied.Forget("a");        // may have landed before the write failed

        applied.Return(failed);

        var next = applied.Take();
        Assert.Equal(new Dictionary<string, decimal> { ["b"] = 3m }, next.Applied);
        Assert.Equal(["a"], next.Forgotten);
    }
}
