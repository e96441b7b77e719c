using System.Diagnostics.Metrics;
using MarginOrleans.Storage;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A group commit's promise, with the write held open by the test: every change made while a write
/// is in flight shares the next write, and no caller is answered before a write that includes its
/// change has completed. (Turns run inline here, one at a time, as a grain's do.)
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task FiveChangesArrivingWhileAWriteIsInFlight_ShareOneWrite_EachAnsweredOnlyOnceItIsDone()
    {
        var (commit, writes) = Held("test");

        commit.Changed();
        var first = commit.Durable();
        var together = Enumerable.Range(0, 5).Select(_ =>
        {
            commit.Changed();
            return commit.Durable();
        }).ToList();
        Assert.Single(writes);

        writes[0].SetResult();
        await first;
        Assert.Equal(2, writes.Count); // one write for the five, started once the first was done
        Assert.All(together, t => Assert.False(t.IsCompleted));

        writes[1].SetResult();
        await Task.WhenAll(together);
        Assert.Equal(2, writes.Count);
    }

    /// <summary>Only a durable write is timed, under its kind (what a tick waits on is its mark's write).</summary>
    [Fact]
    public async Task AFailedWrite_AnswersItsCallersWithTheFailure_TheNextCallerWritesAgain_AndOnlyThatWriteIsTimed()
    {
        var kind = $"test-{Guid.NewGuid():N}";
        var timed = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "margin.group_commit.write")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, ms, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("kind", kind)))
            {
                lock (timed)
                {
                    timed.Add(ms);
                }
            }
        });
        listener.Start();
        var (commit, writes) = Held(kind);

        commit.Changed();
        var failed = commit.Durable();
        writes[0].SetException(new InvalidOperationException("storage refused"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Empty(timed);

        commit.Changed();
        var retried = commit.Durable();
        writes[1].SetResult();
        await retried;
        Assert.Equal(2, writes.Count);
        Assert.True(timed is [> 0d], $"timed: {string.Join(", ", timed)}");
    }

    /// <summary>A group commit whose writes the test completes: each write is a task in the list, held open.</summary>
    private static (GroupCommit Commit, List<TaskCompletionSource> Writes) Held(string kind)
    {
        var writes = new List<TaskCompletionSource>();
        return (new GroupCommit(() =>
        {
            writes.Add(new TaskCompletionSource());
            return writes[^1].Task;
        }, kind), writes);
    }
}
