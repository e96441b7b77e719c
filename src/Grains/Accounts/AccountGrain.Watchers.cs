using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Accounts;

/// <summary>The account's journal pushed to the gateways that watch it (<see cref="IAccountFeedGrain"/>).</summary>
public sealed partial class AccountGrain : IAccountFeedGrain
{
    private AccountWatchers? watchers;

    private AccountWatchers Watchers => watchers ??= new AccountWatchers(time, ServiceProvider.GetRequiredService<ILogger<AccountWatchers>>());

    public Task<long> Watch(IAccountWatcher watcher)
    {
        Watchers.Watch(watcher);
        return Task.FromResult(Account.JournalSequence);
    }

    public Task Unwatch(IAccountWatcher watcher)
    {
        Watchers.Unwatch(watcher);
        return Task.CompletedTask;
    }
}
