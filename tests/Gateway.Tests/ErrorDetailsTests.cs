using Google.Rpc;

namespace MarginOrleans.Gateway.Tests;

/// <summary>Every rejection has its status, and clients branch on google.rpc.ErrorInfo.reason, not on message text.</summary>
public sealed class ErrorDetailsTests
{
    public static TheoryData<Rejection> Reasons => [.. Enum.GetValues<Rejection>().Where(r => r != Rejection.None)];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void EveryRejection_HasAPreciseStatus_AndItsNameAsTheReason(Rejection reason)
    {
        var e = new Rejected(reason, "detail").ToException();

        Assert.False(e.StatusCode is StatusCode.OK or StatusCode.Unknown or StatusCode.Internal, $"{reason} → {e.StatusCode}");
        Assert.Equal(($"{reason}: detail", reason.ToString(), ErrorDetails.Domain),
            (e.Status.Detail, e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason, e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Domain));
    }

    [Fact]
    public void MalformedInput_NamesItsFieldInABadRequest()
    {
        var e = Assert.Throws<RpcException>(() => Fields.Decimal("1\n", "quantity"));

        var status = e.GetRpcStatus()!;
        Assert.Equal((StatusCode.InvalidArgument, ErrorDetails.InvalidField), (e.StatusCode, status.GetDetail<ErrorInfo>()!.Reason));
        var violation = Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(("quantity", "'1\n' is not a decimal number (digits, optional '-' and '.', at most 15 before and 12 after the point)"), (violation.Field, violation.Description));
    }

    /// <summary>The cluster's own failures are precise statuses that say a retry with the same request id is safe.</summary>
    [Fact]
    public void ClusterFailures_AreUnavailableDeadlineExceededOrAborted_NeverUnknown()
    {
        Assert.Equal(StatusCode.DeadlineExceeded, FailoverInterceptor.StatusOf(new TimeoutException())!.Value.StatusCode);
        Assert.Equal(StatusCode.Unavailable, FailoverInterceptor.StatusOf(new Orleans.Runtime.SiloUnavailableException())!.Value.StatusCode);
        Assert.Equal(StatusCode.Unavailable, FailoverInterceptor.StatusOf(new Orleans.Runtime.GatewayTooBusyException())!.Value.StatusCode);
        var aborted = FailoverInterceptor.StatusOf(new Orleans.Storage.InconsistentStateException("etag"))!.Value;
        Assert.Equal(StatusCode.Aborted, aborted.StatusCode);
        Assert.EndsWith(FailoverInterceptor.RetryIsSafe, aborted.Detail);
        Assert.Null(FailoverInterceptor.StatusOf(new InvalidOperationException()));
    }
}
