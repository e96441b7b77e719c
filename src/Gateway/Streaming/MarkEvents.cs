using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// One market's marks for server-sent events and WebSocket, through the gateway's one subscription
/// per symbol (<see cref="MarkFeed"/>): the current mark, then every newer one; a mark older than
/// one sent is skipped. Marks are the newest price, not a record: a reconnecting client gets the
/// current mark again, not the ones it missed. A null says "silent for <c>idle</c>" (or, first,
/// "live, no mark yet").
/// </summary>
public static class MarkEvents
{
    public static async IAsyncEnumerable<MarkUpdate?> Watch(string symbol, MarkFeed feed, IGrainFactory grains, TimeProvider time, TimeSpan idle,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        using var watch = await feed.Open(symbol); // before reading the current mark: one published in between is not lost
        var sent = DateTimeOffset.MinValue;
        if (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is { HasMark: true } market)
        {
            sent = market.MarkTime;
            yield return Update(new MarkTick(symbol, market.MarkPrice, market.IndexPrice, market.MarkTime));
        }
        else
        {
            yield return null; // live, with no mark yet: the doors tell their client so now, not after a silence
        }

        while (true)
        {
            if (!await Arrived(watch.Marks, idle, time, cancel))
            {
                yield return null;
                continue;
            }

            while (watch.Marks.TryRead(out var tick))
            {
                if (tick.MarkTime > sent)
                {
                    sent = tick.MarkTime;
                    yield return Update(tick);
                }
            }
        }
    }

    private static async Task<bool> Arrived(ChannelReader<MarkTick> marks, TimeSpan idle, TimeProvider time, CancellationToken cancel)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var timer = time.CreateTimer(_ => quiet.Cancel(), null, idle, Timeout.InfiniteTimeSpan);
        try
        {
            return await marks.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    private static MarkUpdate Update(MarkTick tick) => new()
    {
        Symbol = tick.Symbol, MarkPrice = Text.Of(tick.MarkPrice), IndexPrice = Text.Of(tick.IndexPrice), MarkTime = Text.Of(tick.MarkTime),
    };
}
