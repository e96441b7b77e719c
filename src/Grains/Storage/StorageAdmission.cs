using Azure.Core;
using Azure.Core.Pipeline;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// Admission control for one storage account: at most <c>limit</c> of this silo's requests are at
/// the table service at once, the rest wait here in arrival order. A storage service serves a
/// bounded rate; past a few dozen requests in flight more only buy latency, and ten thousand at
/// once (a cascade's liquidations) made single writes take a minute and calls time out and retry.
/// Waiting here instead keeps every request's time to the queue ahead of it plus one service time,
/// and leaves room for the requests that must not queue (<see cref="FirstInLine"/>).
/// </summary>
public sealed class StorageAdmission(int limit, TimeProvider time) : HttpPipelinePolicy
{
    /// <summary>Set for a flow whose requests pass the queue (docs/architecture.md, "Storage requests wait in the silo").</summary>
    private static readonly AsyncLocal<bool> Ahead = new();

    // SemaphoreSlim hands its permits to asynchronous waiters in the order they began to wait.
    private readonly SemaphoreSlim inFlight = new(limit, limit);
    private readonly QueueWait queueWait = new(time);
    private int waiting;

    /// <summary>This account's requests waiting for a permit now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>How long a request sent now waits for its permit, estimated from the answers' recent pace.</summary>
    public TimeSpan QueueWait => queueWait.For(Waiting);

    /// <summary>
    /// The requests sent in this async flow until disposed do not wait for a permit. Only for requests
    /// that are few and hold up much behind them: a group commit's write, one at a time per grain
    /// (<see cref="GroupCommit"/>), and the read of such a grain's rows as it activates.
    /// </summary>
    public static IDisposable FirstInLine()
    {
        var outer = Ahead.Value;
        Ahead.Value = true;
        return new Restore(outer);
    }

    /// <summary>Whether requests sent in this async flow now pass the queue.</summary>
    internal static bool PassesQueue => Ahead.Value;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Ahead.Value)
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        await Admit(message.CancellationToken);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Release();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Ahead.Value)
        {
            ProcessNext(message, pipeline);
            return;
        }

        inFlight.Wait(message.CancellationToken);
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        queueWait.Answered(Waiting);
        inFlight.Release();
    }

    private async Task Admit(CancellationToken cancellation)
    {
        if (inFlight.Wait(0))
        {
            return;
        }

        Interlocked.Increment(ref waiting);
        EngineMetrics.StorageWaiting.Add(1);
        try
        {
            await inFlight.WaitAsync(cancellation);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
            EngineMetrics.StorageWaiting.Add(-1);
        }
    }

    private sealed class Restore(bool outer) : IDisposable
    {
        public void Dispose() => Ahead.Value = outer;
    }
}
