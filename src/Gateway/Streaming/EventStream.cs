namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// A <c>text/event-stream</c> response: events of <c>id:</c>, <c>event:</c> and one <c>data:</c>
/// line (the JSON has no line breaks), each flushed at once, and a comment line after
/// <see cref="Heartbeat"/> of silence so proxies and browsers keep an idle stream open. Writes are
/// never cancelled: a client that goes away fails the next one. The response starts with the
/// first write, an event or the first <see cref="Idle"/>, which the watches call once they are
/// live: a client that has the headers misses nothing journaled after them.
/// </summary>
public sealed class EventStream(HttpResponse response, TimeProvider time)
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private DateTimeOffset written;
    private bool started;

    private async Task Start()
    {
        started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold events back
        await response.StartAsync();
        await Flush();
    }

    public Task Event(string data, long? id = null, string? name = null) =>
        Write((id is { } sequence ? $"id: {sequence}\n" : "") + (name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n");

    /// <summary>Called when there is nothing to send: a heartbeat when the stream has been silent long enough.</summary>
    public Task Idle() => !started ? Start() : time.GetUtcNow() - written >= Heartbeat ? Write(": heartbeat\n\n") : Task.CompletedTask;

    private async Task Write(string text)
    {
        if (!started)
        {
            await Start();
        }

        await response.WriteAsync(text);
        await Flush();
    }

    private async Task Flush()
    {
        await response.Body.FlushAsync();
        written = time.GetUtcNow();
    }
}
