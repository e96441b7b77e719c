using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace MarginOrleans.Accounts;

/// <summary>
/// The gateways watching one account, each told the account's new journal rows once. Kept in
/// memory only: after a reactivation the account has none until each renews its watch
/// (<see cref="AccountFeed.Renewal"/>), and rows written meanwhile a gateway reads from the journal,
/// seeing by sequence that it missed them. Expiry runs on the engine clock.
/// </summary>
public sealed class AccountWatchers(TimeProvider time, ILogger log)
{
    private readonly ObserverManager<IAccountWatcher> watchers = new(AccountFeed.Expiry, log) { GetDateTime = () => time.GetUtcNow().UtcDateTime };

    public void Watch(IAccountWatcher watcher) => watchers.Subscribe(watcher, watcher);

    public void Unwatch(IAccountWatcher watcher) => watchers.Unsubscribe(watcher);

    /// <summary>Pushes rows just written to the journal table; one-way, so it never waits on a gateway.</summary>
    public Task Journaled(string accountId, IReadOnlyCollection<JournalEntry> rows)
    {
        if (rows.Count == 0 || watchers.Count == 0)
        {
            return Task.CompletedTask;
        }

        JournalEntry[] pushed = [.. rows]; // the caller clears its list of unwritten rows next
        return watchers.Notify(watcher => watcher.Journaled(accountId, pushed));
    }
}
