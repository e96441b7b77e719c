namespace MarginOrleans.Accounts;

/// <summary>
/// The account's journal pushed to watchers (the account grain, keyed by account id, under a second
/// interface): a gateway subscribes once per account, however many of its clients watch it.
/// </summary>
[Alias("IAccountFeedGrain")]
public interface IAccountFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes <paramref name="watcher"/> for <see cref="AccountFeed.Expiry"/>; the watcher calls
    /// again before then to stay. Returns the account's last journal sequence: rows up to it are in
    /// the journal, later ones will be pushed.
    /// </summary>
    [Alias("Watch")]
    Task<long> Watch(IAccountWatcher watcher);

    [Alias("Unwatch")]
    Task Unwatch(IAccountWatcher watcher);
}
