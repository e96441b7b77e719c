using Grpc.Core;
using MarginOrleans.Gateway.Rest;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// <c>/v1/ws</c>: the upgrade request carries the key in its <c>Authorization</c> header (a trader's
/// key for the account channel; none for marks only). A key in the URL (<c>?key=</c>) is refused:
/// URLs end up in access logs, proxies' logs and browser history, headers do not.
/// </summary>
public static class WebSocketDoor
{
    public const string Path = "/v1/ws";

    public static async Task Accept(HttpContext http, Callers callers, IGrainFactory grains, JournalFeed journal, MarkFeed marks, KnownMarkets known, TimeProvider time, GatewayStopping stopping)
    {
        string? key = null, accountId = null;
        try
        {
            if (http.Request.Query.ContainsKey("key"))
            {
                throw Fields.Invalid("key", "send the API key in the Authorization header: a key in a URL ends up in logs");
            }

            if (!http.WebSockets.IsWebSocketRequest)
            {
                throw Fields.Invalid("Upgrade", "this path speaks WebSocket only: send a WebSocket upgrade request");
            }

            var authorization = HttpCaller.Authorization(http);
            if (authorization is null)
            {
                callers.Anonymous(HttpCaller.Peer(http));
            }
            else
            {
                key = ApiKeyHeader.Key(authorization);
                accountId = await callers.Trader(authorization, HttpCaller.Peer(http));
            }
        }
        catch (RpcException refused)
        {
            await RestErrors.Write(http, refused);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var sources = new StreamSources(callers, grains, journal, marks, known, time);
        await new WebSocketSession(socket, sources, key, accountId).Run(http.RequestAborted, stopping.Token);
    }
}
