using Grpc.Core;
using Orleans.Runtime;

namespace MarginOrleans.Gateway.Tests;

/// <summary>A call that meets a silo failover answers a precise status, not UNKNOWN, and says a retry is safe.</summary>
public sealed class FailoverStatusTests
{
    public static TheoryData<Exception, StatusCode> Failures => new()
    {
        { new TimeoutException("Response did not arrive on time in 00:00:30"), StatusCode.DeadlineExceeded },
        { new SiloUnavailableException("silo S127.0.0.1:11112 is dead"), StatusCode.Unavailable },
        { new Orleans.Runtime.Messaging.ConnectionFailedException("connection to S127.0.0.1:11112 failed"), StatusCode.Unavailable },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task AFailoverError_BecomesAPreciseStatus_ThatSaysARetryIsSafe(Exception failure, StatusCode expected)
    {
        var interceptor = new FailoverInterceptor(new ClusterConnection(connected: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        var thrown = await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", null!, (_, _) => throw failure));

        Assert.Equal(expected, thrown.StatusCode);
        Assert.EndsWith(FailoverInterceptor.RetryIsSafe, thrown.Status.Detail);
    }

    [Fact]
    public async Task AnyOtherError_PassesThroughUnchanged()
    {
        var interceptor = new FailoverInterceptor(new ClusterConnection(connected: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", null!, (_, _) => throw new InvalidOperationException("a bug")));
    }
}
