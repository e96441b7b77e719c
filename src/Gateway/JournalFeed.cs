using System.Collections.Concurrent;
using System.Threading.Channels;
using MarginOrleans.Accounts;

namespace MarginOrleans.Gateway;

/// <summary>
/// The gateway's one watch per account (<see cref="IAccountFeedGrain"/>), however many clients
/// watch it: the account pushes each row once to this gateway, which hands it to every watcher's
/// small channel. A channel that fills drops its oldest news; every news carries the account's tip,
/// so the watcher sees what it missed and reads it from the journal. Once a second (<see cref="Tick"/>)
/// every watcher hears the tip (to recheck its key and find lost pushes), with the account's view
/// when the account has positions or journaled since the last one: margin calls follow the marks,
/// which no row reports. Watches are renewed every <see cref="AccountFeed.Renewal"/>, and dropped
/// then for accounts nobody here watches any more. All waits run on the gateway's clock.
/// </summary>
public sealed class JournalFeed(IGrainFactory grains, TimeProvider time, ILogger<JournalFeed> log) : IAccountWatcher, IHostedService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private const int Buffered = 64;

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, WatchedAccount> accounts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private IAccountWatcher? reference;
    private Task ticking = Task.CompletedTask;
    private long subscriptions;

    /// <summary>How many accounts this gateway has subscribed to (renewals not counted): one per account, however many watch it.</summary>
    public long Subscriptions => Interlocked.Read(ref subscriptions);

    /// <summary>News of <paramref name="accountId"/> from the moment this returns, until the watch is disposed.</summary>
    public async Task<Watch> Open(string accountId)
    {
        var channel = Channel.CreateBounded<JournalNews>(new BoundedChannelOptions(Buffered) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        WatchedAccount account;
        while (!(account = accounts.GetOrAdd(accountId, id => new WatchedAccount(id))).Add(channel))
        {
            // Retired by the renewal between the lookup and the add: the next lookup finds a new one.
        }

        try
        {
            await account.Subscribe(Subscribe);
        }
        catch
        {
            account.Remove(channel);
            throw;
        }

        return new Watch(channel.Reader, account.Tip, () => account.Remove(channel));
    }

    private async Task<long> Subscribe(string accountId)
    {
        var tip = await grains.GetGrain<IAccountFeedGrain>(accountId).Watch(Reference());
        Interlocked.Increment(ref subscriptions);
        return tip;
    }

    private IAccountWatcher Reference() => reference ??= grains.CreateObjectReference<IAccountWatcher>(this);

    /// <summary>Pushed by an account this gateway watches; one-way, so nothing here may throw back.</summary>
    public Task Journaled(string accountId, IReadOnlyList<JournalEntry> rows)
    {
        if (accounts.TryGetValue(accountId, out var account))
        {
            account.Pushed(rows);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ticking = Run(stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        try
        {
            await ticking.WaitAsync(StopWait, cancellationToken); // a tick may be waiting on silos that no longer answer
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }

        if (reference is not null)
        {
            grains.DeleteObjectReference<IAccountWatcher>(reference); // accounts drop pushes they cannot deliver
        }
    }

    private async Task Run(CancellationToken stop)
    {
        var renewEvery = (int)(AccountFeed.Renewal / Tick);
        for (var ticks = 1; !stop.IsCancellationRequested; ticks++)
        {
            try
            {
                await Task.Delay(Tick, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var renew = ticks % renewEvery == 0;
            await Task.WhenAll(accounts.Values.Select(a => Visit(a, renew)));
        }
    }

    private async Task Visit(WatchedAccount account, bool renew)
    {
        if (!account.Ready)
        {
            return;
        }

        try
        {
            if (renew && account.Retire())
            {
                accounts.TryRemove(new KeyValuePair<string, WatchedAccount>(account.Id, account));
                await grains.GetGrain<IAccountFeedGrain>(account.Id).Unwatch(Reference());
                return;
            }

            if (renew)
            {
                account.Saw(await grains.GetGrain<IAccountFeedGrain>(account.Id).Watch(Reference()));
            }

            var pushes = account.Pushes;
            var view = account.WantsView ? await grains.GetGrain<IAccountGrain>(account.Id).GetAccount() : null;
            account.Told(view, pushes);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            log.LogWarning("Watch of account {Account} not refreshed ({Error}): its watchers read the journal at the next renewal", account.Id, e.Message);
            account.Told(null, 0);
        }
    }

    public sealed class Watch(ChannelReader<JournalNews> news, long tip, Action close) : IDisposable
    {
        public ChannelReader<JournalNews> News => news;

        /// <summary>The account's last sequence when the watch began: every later row reaches <see cref="News"/> or its tip.</summary>
        public long Tip => tip;

        public void Dispose() => close();
    }
}
