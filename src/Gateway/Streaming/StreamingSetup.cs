namespace MarginOrleans.Gateway.Streaming;

/// <summary>The streaming doors beside gRPC's: server-sent events and a WebSocket.</summary>
public static class StreamingSetup
{
    /// <summary>A WebSocket ping this often keeps an idle connection open through proxies, as the event streams' heartbeat does.</summary>
    public static WebApplication MapMarginStreaming(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = EventStream.Heartbeat });
        app.MapGet(ServerSentEvents.AccountPath, ServerSentEvents.Account);
        app.MapGet(ServerSentEvents.MarksPath, ServerSentEvents.Marks);
        app.Map(WebSocketDoor.Path, WebSocketDoor.Accept);
        return app;
    }
}
