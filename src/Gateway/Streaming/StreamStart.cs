using System.Globalization;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// Where a server-sent event stream of the journal starts: after the <c>Last-Event-ID</c> a browser
/// sends when it reconnects (the last journal sequence it had), else at <c>?from=</c> (a sequence,
/// as gRPC's from_sequence), else (0) with what happens next.
/// </summary>
public static class StreamStart
{
    public const string LastEventId = "Last-Event-ID";

    public static long From(HttpRequest request)
    {
        if (request.Headers[LastEventId] is { Count: > 0 } last)
        {
            return Sequence(last.ToString(), LastEventId) + 1;
        }

        return request.Query["from"] is { Count: > 0 } from ? Sequence(from.ToString(), "from") : 0;
    }

    private static long Sequence(string text, string field) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence < long.MaxValue
            ? sequence
            : throw Fields.Invalid(field, "must be a journal sequence: digits only, 0 or more");
}
