using Orleans.Concurrency;

namespace MarginOrleans.Accounts;

/// <summary>
/// A gateway watching accounts (<see cref="IAccountFeedGrain"/>): told each account's new journal
/// rows once they are in the journal table, so a watcher that reads the journal next finds them there.
/// </summary>
[Alias("IAccountWatcher")]
public interface IAccountWatcher : IGrainObserver
{
    /// <summary>
    /// Rows just written, in sequence order. One-way: the account never waits for a gateway, and a
    /// push lost on the way is a gap the gateway sees by sequence and fills from the journal.
    /// </summary>
    [OneWay, Alias("Journaled")]
    Task Journaled(string accountId, IReadOnlyList<JournalEntry> rows);
}
