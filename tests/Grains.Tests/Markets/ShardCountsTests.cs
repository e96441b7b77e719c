using MarginOrleans.Markets;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A tick's answer and a shard's own report travel separately, so the market may hear them out of
/// order: an owner that answers while the tick's mark is still being written sends the shard's "worked
/// off" report before the tick's answer, which counted it unanswered, comes back. The market keeps
/// what the shard told last (<see cref="ShardCounts.After"/>), or it would refuse new risk until the
/// next tick. (LeftoverEntryTests meets that order: its owners answer before any storage write.)
/// </summary>
public sealed class ShardCountsTests
{
    [Fact]
    public void CountsToldLater_ByTheSameActivation_OrByANewOne_ReplaceThoseBefore_AndNoOthers()
    {
        var told = new ShardCounts(Entries: 3, Backlog: 0, Epoch: 7, Number: 2);

        Assert.False(new ShardCounts(4, 1, Epoch: 7, Number: 1).After(told)); // the tick's answer, arriving after the report
        Assert.False(told.After(told));
        Assert.True(new ShardCounts(4, 1, Epoch: 7, Number: 3).After(told));
        Assert.True(new ShardCounts(5, 2, Epoch: 8, Number: 1).After(told)); // the shard started again
        Assert.True(told.After(ShardCounts.None));                           // the market's first word from it
    }
}
