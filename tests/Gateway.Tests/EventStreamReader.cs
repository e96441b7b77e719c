using System.Text.Json.Nodes;

namespace MarginOrleans.Gateway.Tests;

/// <summary>A server-sent event as a client reads it: its id, its name (null: a message) and its data.</summary>
public sealed record ServerSentEvent(long? Id, string? Name, JsonNode Data);

/// <summary>Reads <c>text/event-stream</c> as an EventSource does: fields until a blank line, comment lines skipped.</summary>
public sealed class EventStreamReader(HttpResponseMessage response) : IDisposable
{
    private StreamReader? reader;

    public static async Task<EventStreamReader> Open(HttpClient http, string path, string key, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamReader(response);
    }

    /// <summary>The next event, or null when the stream ends.</summary>
    public async Task<ServerSentEvent?> Next(CancellationToken cancel)
    {
        reader ??= new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
        (long? id, string? name, string? data) = (null, null, null);
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return new ServerSentEvent(id, name, JsonNode.Parse(data)!);
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return null;
    }

    /// <summary>Events until one matches <paramref name="until"/> (included).</summary>
    public async Task<List<ServerSentEvent>> Until(Func<ServerSentEvent, bool> until, CancellationToken cancel)
    {
        var events = new List<ServerSentEvent>();
        while (await Next(cancel) is { } e)
        {
            events.Add(e);
            if (until(e))
            {
                return events;
            }
        }

        throw new InvalidOperationException($"the stream ended after {events.Count} events");
    }

    public void Dispose()
    {
        reader?.Dispose();
        response.Dispose();
    }
}
