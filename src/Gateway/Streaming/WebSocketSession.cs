using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Gateway.Rest;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// One WebSocket client: it sends <c>{"op":"subscribe"|"unsubscribe","channel":"account"|"marks","symbol":…,"from":…}</c>;
/// each subscription streams the same events as the other doors, in the same order, with the same
/// resume promise (<see cref="AccountEvents"/>, <see cref="MarkEvents"/>). One loop sends, since a
/// WebSocket takes one send at a time; its queue is bounded, so a slow client holds back its own
/// subscriptions, which catch up from the journal. A revoked key ends the connection (1008).
/// </summary>
public sealed class WebSocketSession(WebSocket socket, StreamSources sources, string? key, string? accountId)
{
    private const int MessageMax = 4096;

    private readonly Channel<(string Text, WebSocketCloseStatus? Close)> outgoing = Channel.CreateBounded<(string, WebSocketCloseStatus?)>(256);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> subscriptions = new(StringComparer.Ordinal);

    /// <summary>Until the client closes or goes away (<paramref name="aborted"/>); <paramref name="stopping"/> closes it with 1001.</summary>
    public async Task Run(CancellationToken aborted, CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var stop = stopping.Register(() => outgoing.Writer.TryWrite((GatewayStopping.Message, WebSocketCloseStatus.EndpointUnavailable)));
        var sending = Send(session);
        try
        {
            await Receive(session.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away, or the session closed.
        }
        finally
        {
            await session.CancelAsync();
            foreach (var subscription in subscriptions.Values)
            {
                await subscription.CancelAsync();
            }

            outgoing.Writer.TryComplete();
            await sending;
        }
    }

    private async Task Send(CancellationTokenSource session)
    {
        try
        {
            await foreach (var (text, close) in outgoing.Reader.ReadAllAsync(session.Token))
            {
                if (close is { } status)
                {
                    await socket.CloseOutputAsync(status, text, CancellationToken.None);
                    return;
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            await session.CancelAsync(); // nothing more can be sent: the receive ends too
        }
    }

    private async Task Receive(CancellationToken cancel)
    {
        var buffer = new byte[MessageMax];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                if (count == buffer.Length)
                {
                    await Post($"messages are at most {MessageMax} bytes", WebSocketCloseStatus.MessageTooBig);
                    return;
                }

                received = await socket.ReceiveAsync(buffer.AsMemory(count), cancel);
                count += received.Count;
            }
            while (!received.EndOfMessage);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                await Post("", WebSocketCloseStatus.NormalClosure);
                return;
            }

            try
            {
                await Handle(buffer.AsMemory(0, count));
            }
            catch (RpcException refused)
            {
                await Post(new JsonObject { ["error"] = JsonNode.Parse(RestErrors.Format(refused)) }.ToJsonString());
            }
        }
    }

    private async Task Handle(ReadOnlyMemory<byte> message)
    {
        var request = WebSocketRequest.Parse(message);
        var name = request.Channel == WebSocketRequest.Marks ? $"marks:{await sources.Known.Require(request.Symbol)}" : WebSocketRequest.Account;
        if (request.Op == "unsubscribe")
        {
            if (subscriptions.TryRemove(name, out var ended))
            {
                await ended.CancelAsync();
            }

            await Post(Reply(request, "unsubscribed"));
            return;
        }

        if (request.Channel == WebSocketRequest.Account && accountId is null)
        {
            throw ErrorDetails.Exception(StatusCode.PermissionDenied, "the account channel needs a trader's key in the upgrade request's Authorization header", "TraderKeyRequired");
        }

        var cancel = new CancellationTokenSource();
        if (!subscriptions.TryAdd(name, cancel))
        {
            cancel.Dispose();
            throw Fields.Invalid("channel", $"already subscribed to {name}: unsubscribe first");
        }

        _ = request.Channel == WebSocketRequest.Account
            ? Stream(name, request, cancel, Account(request.From, cancel.Token))
            : Stream(name, request, cancel, Marks(name[6..], cancel.Token));
    }

    private async IAsyncEnumerable<JsonObject?> Account(long from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var e in AccountEvents.Watch(sources.Grains.GetGrain<IAccountGrain>(accountId!), sources.Journal, from, () => sources.Callers.Recheck(key!), cancel))
        {
            yield return e switch
            {
                null => null,
                { MarginCall: { } call } => new JsonObject { ["channel"] = WebSocketRequest.Account, ["seq"] = e.Sequence, ["event"] = "marginCall", ["data"] = RestJson.Node(call) },
                _ => new JsonObject { ["channel"] = WebSocketRequest.Account, ["seq"] = e.Sequence, ["data"] = RestJson.Node(e.Entry) },
            };
        }
    }

    private async IAsyncEnumerable<JsonObject?> Marks(string symbol, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var mark in MarkEvents.Watch(symbol, sources.Marks, sources.Grains, sources.Time, EventStream.Heartbeat, cancel))
        {
            yield return mark is null ? null : new JsonObject { ["channel"] = WebSocketRequest.Marks, ["symbol"] = symbol, ["data"] = RestJson.Node(mark) };
        }
    }

    /// <summary>Sends "subscribed" once the subscription is live, then its events; an error ends it (and the connection, for a refused key).</summary>
    private async Task Stream(string name, WebSocketRequest request, CancellationTokenSource cancel, IAsyncEnumerable<JsonObject?> events)
    {
        await Task.Yield();
        var live = false;
        try
        {
            await foreach (var e in events)
            {
                if (!live)
                {
                    live = true;
                    await Post(Reply(request, "subscribed"));
                }

                if (e is not null)
                {
                    await Post(e.ToJsonString());
                }
            }
        }
        catch (RpcException ended)
        {
            await Ended(request, ended);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            await Ended(request, ErrorDetails.Exception(StatusCode.Unavailable, "the cluster did not answer: subscribe again", ErrorDetails.RetrySafe));
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // Unsubscribed, or the connection ended.
        }
        finally
        {
            subscriptions.TryRemove(new KeyValuePair<string, CancellationTokenSource>(name, cancel));
        }
    }

    private async Task Ended(WebSocketRequest request, RpcException error)
    {
        var reply = new JsonObject { ["channel"] = request.Channel, ["error"] = JsonNode.Parse(RestErrors.Format(error)) };
        if (request.Channel == WebSocketRequest.Marks)
        {
            reply["symbol"] = request.Symbol;
        }

        await Post(reply.ToJsonString());
        if (error.StatusCode == StatusCode.Unauthenticated)
        {
            await Post(error.Status.Detail, WebSocketCloseStatus.PolicyViolation);
        }
    }

    private static string Reply(WebSocketRequest request, string op)
    {
        var reply = new JsonObject { ["op"] = op, ["channel"] = request.Channel };
        if (request.Channel == WebSocketRequest.Marks)
        {
            reply["symbol"] = request.Symbol;
        }

        return reply.ToJsonString();
    }

    private ValueTask Post(string text, WebSocketCloseStatus? close = null) => outgoing.Writer.WriteAsync((text, close));
}
