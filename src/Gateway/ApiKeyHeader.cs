using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>
/// The one rule for the <c>authorization</c> metadata: exactly <c>Bearer </c> (capital B, one
/// space) and the key, the key being printable ASCII with nothing around it. Anything else is
/// Unauthenticated, and nothing is trimmed: a key that also worked with a stray space or tab
/// would be a second spelling of it for every log, cache and bucket to tell apart.
/// </summary>
public static class ApiKeyHeader
{
    private const string Scheme = "Bearer ";

    /// <summary>The caller's key, or Unauthenticated saying what is wrong with the metadata.</summary>
    public static string Key(ServerCallContext context) => Key(context.RequestHeaders.GetValue("authorization"));

    /// <summary>The same rule for an HTTP request's <c>Authorization</c> header (server-sent events, WebSocket).</summary>
    public static string Key(string? authorization)
    {
        var header = authorization
            ?? throw ErrorDetails.Exception(StatusCode.Unauthenticated, "missing `authorization: Bearer <api-key>` metadata (MARGIN_API_KEY / --key in the CLI)", "MissingApiKey");
        var key = header.StartsWith(Scheme, StringComparison.Ordinal) ? header[Scheme.Length..] : "";
        return key.Length > 0 && key.All(c => c is > ' ' and < '\x7F')
            ? key
            : throw ErrorDetails.Exception(StatusCode.Unauthenticated,
                "authorization: must be exactly `Bearer <api-key>` (one space after Bearer, nothing around the key)", "MalformedAuthorization");
    }
}
