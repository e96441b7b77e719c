using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MarginOrleans.LoadTest;

/// <summary>
/// Gives every unary call that has none a deadline: a call that never completes (seen once in a
/// crash soak, its run stuck for minutes) then fails as DeadlineExceeded, which the run retries
/// with the same request id. Streams keep no deadline: they are meant to stay open.
/// </summary>
public sealed class CallDeadline(TimeSpan after) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, context.Options.Deadline is null
            ? new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + after))
            : context);
}
