using System.Threading.Channels;
using MarginOrleans.Accounts;

namespace MarginOrleans.Gateway;

/// <summary>
/// One account as <see cref="JournalFeed"/> watches it: its watchers' channels, its subscription,
/// the highest sequence known journaled and whether its margin calls need a fresh view.
/// </summary>
internal sealed class WatchedAccount(string id)
{
    private readonly object gate = new();
    private readonly HashSet<Channel<JournalNews>> channels = [];
    private Task<long>? subscribed;
    private bool retired;
    private long pushes = 1; // none viewed yet: the first tick reads a view
    private long pushesViewed;
    private bool hasPositions;
    private long tip;

    public string Id => id;

    /// <summary>Subscribed: the feed's tick visits only accounts whose watch the account has taken.</summary>
    public bool Ready => subscribed is { IsCompletedSuccessfully: true };

    public long Tip => Interlocked.Read(ref tip);

    /// <summary>A view is read when the account has positions (its ratios move with the marks) or journaled since the last one.</summary>
    public bool WantsView => Volatile.Read(ref hasPositions) || Interlocked.Read(ref pushes) != Interlocked.Read(ref pushesViewed);

    /// <summary>Taken before a view is read: pushes that arrive while it is read still ask for the next one.</summary>
    public long Pushes => Interlocked.Read(ref pushes);

    /// <summary>False once retired: the caller looks the account up again.</summary>
    public bool Add(Channel<JournalNews> channel)
    {
        lock (gate)
        {
            return !retired && channels.Add(channel);
        }
    }

    public void Remove(Channel<JournalNews> channel)
    {
        lock (gate)
        {
            channels.Remove(channel);
        }
    }

    /// <summary>Subscribes once; a failed subscription is forgotten so the next watcher tries again.</summary>
    public async Task Subscribe(Func<string, Task<long>> subscribe)
    {
        Task<long> attempt;
        lock (gate)
        {
            attempt = subscribed ??= subscribe(id);
        }

        try
        {
            Saw(await attempt);
        }
        catch
        {
            lock (gate)
            {
                if (subscribed == attempt)
                {
                    subscribed = null;
                }
            }

            throw;
        }
    }

    /// <summary>Retires the account when nobody watches it: no watcher can join it afterwards.</summary>
    public bool Retire()
    {
        lock (gate)
        {
            return retired = channels.Count == 0;
        }
    }

    public void Saw(long sequence)
    {
        long seen;
        while (sequence > (seen = Interlocked.Read(ref tip)) && Interlocked.CompareExchange(ref tip, sequence, seen) != seen)
        {
        }
    }

    public void Pushed(IReadOnlyList<JournalEntry> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Saw(rows[^1].Sequence);
        Interlocked.Increment(ref pushes);
        Send(new JournalNews(rows, Tip));
    }

    /// <summary>The tick's news: the tip, with the view when one was read.</summary>
    public void Told(AccountView? view, long pushesBefore)
    {
        if (view is not null)
        {
            Saw(view.JournalSequence);
            Volatile.Write(ref hasPositions, view.Positions.Count > 0);
            Interlocked.Exchange(ref pushesViewed, pushesBefore);
        }

        Send(new JournalNews([], Tip, view));
    }

    private void Send(JournalNews news)
    {
        lock (gate)
        {
            foreach (var channel in channels)
            {
                channel.Writer.TryWrite(news);
            }
        }
    }
}
