using System.Collections.Concurrent;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// A test watching accounts' journals as a gateway does (<see cref="IAccountFeedGrain"/>): the
/// signal for work that runs on real time after a silo is killed — its lost messages leave the
/// engine never quiet, and a survivor takes its work over when membership says so.
/// </summary>
public sealed class JournalWatch : IAccountWatcher
{
    private readonly IGrainFactory grains;
    private readonly IAccountWatcher self;
    private readonly ConcurrentDictionary<TaskCompletionSource<JournalEntry>, (string AccountId, Func<JournalEntry, bool> Match)> waiting = new();

    public JournalWatch(IGrainFactory grains)
    {
        this.grains = grains;
        self = grains.CreateObjectReference<IAccountWatcher>(this);
    }

    /// <summary>
    /// Completes with the first row of <paramref name="account"/>'s journal that <paramref name="match"/>
    /// accepts: one already journaled, or one pushed later. Watch first, then read: a row is in
    /// either the journal read or a later push.
    /// </summary>
    public async Task<JournalEntry> Row(IAccountGrain account, Func<JournalEntry, bool> match)
    {
        var accountId = account.GetPrimaryKeyString();
        var row = new TaskCompletionSource<JournalEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[row] = (accountId, match);
        await grains.GetGrain<IAccountFeedGrain>(accountId).Watch(self);
        if ((await account.GetJournal(1, 1_000)).FirstOrDefault(match) is { } journaled && waiting.TryRemove(row, out _))
        {
            return journaled;
        }

        return await row.Task;
    }

    public Task Journaled(string accountId, IReadOnlyList<JournalEntry> rows)
    {
        foreach (var (row, (id, match)) in waiting)
        {
            if (id == accountId && rows.FirstOrDefault(match) is { } pushed && waiting.TryRemove(row, out _))
            {
                row.TrySetResult(pushed);
            }
        }

        return Task.CompletedTask;
    }
}
