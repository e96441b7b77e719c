using System.Diagnostics;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// Group commit for a reentrant grain: each change is applied in memory and acknowledged only
/// once a write that started after it has completed; one write covers every change made while
/// the previous one was in progress. Grain turns interleave only at awaits, so the fields never race.
/// The write passes the silo's queue of storage requests (<see cref="StorageAdmission.FirstInLine"/>):
/// there is one at a time per grain, and every change made meanwhile (a market's ticks, a fund's
/// transfers, a trigger shard's entries) waits on it. Each write's time is measured by
/// <paramref name="kind"/> (<see cref="EngineMetrics.GroupCommitWrite"/>): a tick's wait is its mark's write.
/// </summary>
public sealed class GroupCommit(Func<Task> write, string kind)
{
    private readonly KeyValuePair<string, object?> tag = new("kind", kind);

    /// <summary>Counts changes; a write started at version v makes every change up to v durable.</summary>
    private long version;
    private long durableVersion;
    private Task? writing;

    /// <summary>Records that memory holds one more change than storage.</summary>
    public void Changed() => version++;

    /// <summary>Returns once every change recorded so far is durable.</summary>
    public async Task Durable()
    {
        var target = version;
        while (durableVersion < target)
        {
            // A write that finished synchronously may have run its finally before it was stored here.
            if (writing is null || writing.IsCompleted)
            {
                writing = Write(version);
            }

            await writing;
        }
    }

    private async Task Write(long upTo)
    {
        try
        {
            using var ahead = StorageAdmission.FirstInLine();
            var sent = Stopwatch.GetTimestamp();
            await write();
            EngineMetrics.GroupCommitWrite.Record(Stopwatch.GetElapsedTime(sent).TotalMilliseconds, tag);
            durableVersion = Math.Max(durableVersion, upTo);
        }
        finally
        {
            writing = null;
        }
    }
}
