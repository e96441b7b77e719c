using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Grpc.Core;
using MarginOrleans.Gateway.Wire;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace MarginOrleans.Gateway.Rest;

/// <summary>
/// What a REST call must be before the transcoder turns it into the gRPC request: a JSON body of
/// at most <see cref="BodyMax"/> bytes that <see cref="RequestJson"/> accepts (an empty body is
/// <c>{}</c>), a query string of the message's own fields, and an <c>Idempotency-Key</c> header
/// that becomes the request id when the body has none (and is refused when the body has another).
/// A refusal is written here, in the form every REST error has (<see cref="RestErrors"/>), and the
/// call goes no further: nothing reaches the cluster.
/// </summary>
public sealed class RestRequests(RequestDelegate next)
{
    /// <summary>The largest request (a market spec with every bracket) is under 4 KiB of JSON.</summary>
    public const int BodyMax = 64 * 1024;

    public const string IdempotencyKey = "Idempotency-Key";

    private const string RequestIdField = "request_id";

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 2 * RequestBytes.DepthMax + 2 };

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } rest)
        {
            await next(context);
            return;
        }

        try
        {
            var type = rest.MethodDescriptor.InputType;
            var pathFields = type.Fields.InDeclarationOrder().Where(f => context.Request.RouteValues.ContainsKey(f.Name) || context.Request.RouteValues.ContainsKey(f.JsonName))
                .Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            if (rest.HttpRule.Body == "*")
            {
                await CheckBody(context, type, pathFields);
            }
            else
            {
                RequestJson.CheckQuery(context.Request.Query, type, pathFields);
                RefuseIdempotencyKey(context);
            }
        }
        catch (RpcException refused)
        {
            await RestErrors.Write(context, refused, StatusOf(refused));
            return;
        }

        await next(context);
    }

    private static async Task CheckBody(HttpContext context, MessageDescriptor type, IReadOnlySet<string> pathFields)
    {
        if (context.Request.QueryString.HasValue)
        {
            throw Fields.Invalid("query", "this route takes its fields in the JSON body, not the query string");
        }

        var body = await Read(context.Request);
        if (body.Length > 0 && !IsJson(context.Request.ContentType))
        {
            throw Fields.Invalid("Content-Type", $"must be application/json, not '{context.Request.ContentType}'");
        }

        using var document = Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        RequestJson.CheckBody(document.RootElement, type, pathFields);
        var rewritten = body.Length == 0 ? "{}"u8.ToArray() : body;
        if (context.Request.Headers[IdempotencyKey] is { Count: > 0 } keys)
        {
            var field = type.FindFieldByName(RequestIdField)
                ?? throw Fields.Invalid(IdempotencyKey, "this call takes no request id: leave the header out");
            var key = keys.Count == 1 ? keys[0]! : throw Fields.Invalid(IdempotencyKey, "is given more than once");
            var sent = document.RootElement.EnumerateObject().Where(m => m.Name == field.Name || m.Name == field.JsonName)
                .Select(m => m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString() : null).FirstOrDefault() ?? "";
            if (sent.Length == 0)
            {
                // One request id, from the header: the body's empty one (under either name) goes.
                var withKey = JsonObject.Create(document.RootElement)!;
                withKey.Remove(field.Name);
                withKey[field.JsonName] = key;
                rewritten = JsonSerializer.SerializeToUtf8Bytes(withKey);
            }
            else if (sent != key)
            {
                throw Fields.Invalid(IdempotencyKey, $"'{key}' differs from the body's request_id '{sent}': send one, or both the same");
            }
        }

        context.Request.Body = new MemoryStream(rewritten);
        context.Request.ContentLength = rewritten.Length;
        context.Request.ContentType = "application/json";
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, Parsing);
        }
        catch (JsonException e)
        {
            throw Fields.Invalid(RequestBytes.Whole, $"is not valid JSON: {e.Message}");
        }
    }

    private static void RefuseIdempotencyKey(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(IdempotencyKey))
        {
            throw Fields.Invalid(IdempotencyKey, "this call changes nothing and takes no request id: leave the header out");
        }
    }

    /// <summary>The body, refused past <see cref="BodyMax"/> bytes before more is read.</summary>
    private static async Task<byte[]> Read(HttpRequest request)
    {
        if (request.ContentLength > BodyMax)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > BodyMax)
            {
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    private static RpcException TooLarge() =>
        ErrorDetails.Exception(StatusCode.ResourceExhausted, $"request: the body is larger than {BodyMax} bytes", RequestTooLarge);

    /// <summary>The reason of a body over <see cref="BodyMax"/>.</summary>
    public const string RequestTooLarge = "RequestTooLarge";

    /// <summary>HTTP's own words for two refusals: 413 for a body too large, 415 for one that is not JSON.</summary>
    private static int? StatusOf(RpcException refused) =>
        refused.GetRpcStatus() is { } status && status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason == RequestTooLarge ? StatusCodes.Status413PayloadTooLarge
        : refused.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Any(v => v.Field == "Content-Type") == true ? StatusCodes.Status415UnsupportedMediaType
        : null;

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
