using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Gateway.Rest;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// The account's events and a market's marks as server-sent events, for browsers' EventSource and
/// curl: a journal row is an event whose <c>id:</c> is its sequence and whose <c>data:</c> is the
/// row as <c>GET /v1/accounts/me/journal</c> renders it; a margin call is an event named
/// <c>marginCall</c> (no id: it is no row); an <c>error</c> event carries the google.rpc.Status that
/// ended the stream (a revoked key, the gateway stopping). A refusal before the stream starts is the
/// REST error, with its HTTP status.
/// </summary>
public static class ServerSentEvents
{
    public const string AccountPath = "/v1/accounts/me/events:sse";

    public const string MarksPath = "/v1/markets/{symbol}/marks:sse";

    public static async Task Account(HttpContext http, Callers callers, IGrainFactory grains, JournalFeed feed, GatewayStopping stopping, TimeProvider time)
    {
        string key, accountId;
        long from;
        try
        {
            from = StreamStart.From(http.Request);
            var authorization = HttpCaller.Authorization(http);
            key = ApiKeyHeader.Key(authorization);
            accountId = await callers.Trader(authorization, HttpCaller.Peer(http));
        }
        catch (RpcException refused)
        {
            await RestErrors.Write(http, refused);
            return;
        }

        var stream = new EventStream(http.Response, time);
        await Run(stream, stopping, http.RequestAborted, async cancel =>
        {
            await foreach (var e in AccountEvents.Watch(grains.GetGrain<IAccountGrain>(accountId), feed, from, () => callers.Recheck(key), cancel))
            {
                await (e switch
                {
                    null => stream.Idle(),
                    { MarginCall: { } call } => stream.Event(RestJson.Format(call), name: "marginCall"),
                    _ => stream.Event(RestJson.Format(e.Entry), e.Sequence),
                });
            }
        });
    }

    public static async Task Marks(HttpContext http, string symbol, Callers callers, KnownMarkets known, MarkFeed marks, IGrainFactory grains, GatewayStopping stopping, TimeProvider time)
    {
        string market;
        try
        {
            callers.Anonymous(HttpCaller.Peer(http));
            market = await known.Require(symbol.ToUpperInvariant());
        }
        catch (RpcException refused)
        {
            await RestErrors.Write(http, refused);
            return;
        }

        var stream = new EventStream(http.Response, time);
        await Run(stream, stopping, http.RequestAborted, async cancel =>
        {
            await foreach (var mark in MarkEvents.Watch(market, marks, grains, time, EventStream.Heartbeat, cancel))
            {
                await (mark is null ? stream.Idle() : stream.Event(RestJson.Format(mark)));
            }
        });
    }

    /// <summary>Runs a stream until its client leaves, the gateway stops (an Unavailable error event: reconnect) or its key is refused.</summary>
    private static async Task Run(EventStream stream, GatewayStopping stopping, CancellationToken aborted, Func<CancellationToken, Task> events)
    {
        using var cancel = stopping.Link(aborted);
        try
        {
            await events(cancel.Token);
        }
        catch (RpcException ended)
        {
            await stream.Event(RestErrors.Format(ended), name: "error");
        }
        catch (OperationCanceledException) when (stopping.IsStopping && !aborted.IsCancellationRequested)
        {
            await stream.Event(RestErrors.Format(GatewayStopping.Ended()), name: "error");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
