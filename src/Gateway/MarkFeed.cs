using System.Collections.Concurrent;
using System.Threading.Channels;
using MarginOrleans.Markets;
using Orleans.Streams;

namespace MarginOrleans.Gateway;

/// <summary>
/// One subscription per symbol to the market's mark stream, for every watcher of this gateway:
/// 200 watchers cost the market what one does. Each watcher reads its own small channel that keeps
/// the newest marks, so a slow client loses old marks, never slows the others or the market.
/// On stop it unsubscribes, before the Orleans client disconnects: a subscription left behind made
/// the silo wait 30 s for a gone gateway to acknowledge a mark, and its own shutdown with it.
/// </summary>
public sealed class MarkFeed(IClusterClient client, ILogger<MarkFeed> log) : IHostedService
{
    private const int Buffered = 16;

    /// <summary>Unsubscribing asks the silos; with none answering, stopping waits no longer than this.</summary>
    private static readonly TimeSpan UnsubscribeWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Lazy<Task<Watchers>>> symbols = new(StringComparer.Ordinal);

    /// <summary>Every mark of <paramref name="symbol"/> published from the moment this returns, until the watch is disposed.</summary>
    public async Task<Watch> Open(string symbol)
    {
        var subscription = symbols.GetOrAdd(symbol, s => new Lazy<Task<Watchers>>(() => Subscribe(s)));
        Watchers watchers;
        try
        {
            watchers = await subscription.Value;
        }
        catch
        {
            symbols.TryRemove(new KeyValuePair<string, Lazy<Task<Watchers>>>(symbol, subscription)); // the next watcher subscribes again
            throw;
        }

        var channel = Channel.CreateBounded<MarkTick>(new BoundedChannelOptions(Buffered) { FullMode = BoundedChannelFullMode.DropOldest });
        watchers.Add(channel);
        return new Watch(channel.Reader, () => watchers.Remove(channel));
    }

    private async Task<Watchers> Subscribe(string symbol)
    {
        var watchers = new Watchers();
        var stream = client.GetStreamProvider(MarkStreams.Provider).GetStream<MarkTick>(StreamId.Create(MarkStreams.Namespace, symbol));
        watchers.Subscription = await stream.SubscribeAsync((tick, _) =>
        {
            watchers.Send(tick);
            return Task.CompletedTask;
        });
        return watchers;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var subscriptions = symbols.Values.Where(s => s.IsValueCreated && s.Value.IsCompletedSuccessfully)
            .Select(s => s.Value.Result.Subscription).OfType<StreamSubscriptionHandle<MarkTick>>().ToList();
        symbols.Clear();
        try
        {
            await Task.WhenAll(subscriptions.Select(s => s.UnsubscribeAsync())).WaitAsync(UnsubscribeWait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or OrleansException)
        {
            log.LogWarning("Mark subscriptions not removed on stop ({Error}): the silos drop them when they give up on this gateway", e.Message);
        }
    }

    public sealed class Watch(ChannelReader<MarkTick> marks, Action close) : IDisposable
    {
        public ChannelReader<MarkTick> Marks => marks;

        public void Dispose() => close();
    }

    private sealed class Watchers
    {
        private readonly ConcurrentDictionary<Channel<MarkTick>, byte> channels = new();

        public StreamSubscriptionHandle<MarkTick>? Subscription { get; set; }

        public void Add(Channel<MarkTick> channel) => channels[channel] = 0;

        public void Remove(Channel<MarkTick> channel) => channels.TryRemove(channel, out _);

        public void Send(MarkTick tick)
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(tick);
            }
        }
    }
}
