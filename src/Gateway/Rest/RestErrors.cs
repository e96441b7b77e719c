using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;

namespace MarginOrleans.Gateway.Rest;

/// <summary>
/// A refusal as REST sends it: the JSON form of <c>google.rpc.Status</c>, with the ErrorInfo (and
/// BadRequest) details the gRPC caller gets, and the HTTP status JSON transcoding gives the gRPC
/// code. The transcoder writes the errors of the services; this writes the ones found before them.
/// </summary>
public static class RestErrors
{
    /// <summary>The detail types the gateway sends (<see cref="ErrorDetails"/>, <see cref="Fields.Invalid"/>): without them in the registry an error could not be written.</summary>
    public static readonly TypeRegistry Details = TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor);

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithTypeRegistry(Details));

    /// <summary>The mapping of Microsoft.AspNetCore.Grpc.JsonTranscoding (google.rpc.Code's own table; FailedPrecondition is 400, not 412).</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 408,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        StatusCode.DeadlineExceeded => 504,
        _ => 500,
    };

    public static async Task Write(HttpContext context, RpcException error, int? httpStatus = null)
    {
        context.Response.StatusCode = httpStatus ?? HttpStatus(error.StatusCode);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(Format(error));
    }

    /// <summary>The error's <c>google.rpc.Status</c> JSON: also what ends an event stream or a WebSocket subscription.</summary>
    public static string Format(RpcException error) =>
        Json.Format(error.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)error.StatusCode, Message = error.Status.Detail });
}
