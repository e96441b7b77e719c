using System.Collections.Concurrent;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// A test watching accounts' journals as a gateway does (<see cref="IAccountFeedGrain"/>): the
/// signal for work that runs on real time after a silo is killed — its lost messages leave the
/// engine never quiet, and a survivor takes its work over when membership says so. An account
/// keeps its watchers in memory only: when a watched account activates again (after a failed call
/// or on a survivor), the watch is renewed and the journal read again, on that activation's signal.
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
        var accounts = grains.GetGrain<IAccountGrain>("any").GetGrainId().Type;
        ActivationWitness.Of(grains).Activated += grain =>
        {
            if (grain.Type == accounts && grain.Key.ToString() is { } accountId && waiting.Values.Any(w => w.AccountId == accountId))
            {
                _ = Task.Run(() => Check(accountId)); // off the activating silo's thread: the watch waits for the activation
            }
        };
    }

    /// <summary>
    /// Completes with the first row of <paramref name="account"/>'s journal that <paramref name="match"/>
    /// accepts: one already journaled, or one pushed later. Watch first, then read: a row is in
    /// either the journal read or a later push.
    /// </summary>
    public async Task<JournalEntry> Row(IAccountGrain account, Func<JournalEntry, bool> match)
    {
        var row = new TaskCompletionSource<JournalEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[row] = (account.GetPrimaryKeyString(), match);
        await Check(account.GetPrimaryKeyString());
        return await row.Task;
    }

    public Task Journaled(string accountId, IReadOnlyList<JournalEntry> rows)
    {
        Complete(accountId, rows);
        return Task.CompletedTask;
    }

    /// <summary>Watches the account and completes what its journal already holds.</summary>
    private async Task Check(string accountId)
    {
        await grains.GetGrain<IAccountFeedGrain>(accountId).Watch(self);
        Complete(accountId, await grains.GetGrain<IAccountGrain>(accountId).GetJournal(1, 1_000));
    }

    private void Complete(string accountId, IReadOnlyList<JournalEntry> rows)
    {
        foreach (var (row, (id, match)) in waiting)
        {
            if (id == accountId && rows.FirstOrDefault(match) is { } found && waiting.TryRemove(row, out _))
            {
                row.TrySetResult(found);
            }
        }
    }
}
