using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>
/// Every error the gateway sends carries <c>google.rpc.ErrorInfo</c> in its status details
/// (grpc-dotnet's Error example): <see cref="ErrorInfo.Reason"/> is a grain rejection's name, or
/// one of the reasons below, so clients branch on it rather than on message text.
/// </summary>
public static class ErrorDetails
{
    public const string Domain = "margin.v1";

    /// <summary>Malformed input; a <c>google.rpc.BadRequest</c> names the field.</summary>
    public const string InvalidField = "InvalidField";

    /// <summary>A failing-over cluster: the same request id may be sent again.</summary>
    public const string RetrySafe = "RetrySafe";

    public static RpcException Exception(StatusCode code, string message, string reason, params Any[] details)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = Domain }) },
        };
        status.Details.Add(details);
        return status.ToRpcException();
    }
}
