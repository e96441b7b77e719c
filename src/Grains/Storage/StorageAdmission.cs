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
/// and leaves room for the requests that must not queue (<see cref="FirstInLine"/>) and lets the
/// records of what is already durable give way to the writes that are not (<see cref="GiveWay"/>).
/// </summary>
public sealed class StorageAdmission(int limit, TimeProvider time) : HttpPipelinePolicy
{
    /// <summary>Where a flow's requests wait (docs/architecture.md, "Storage requests wait in the silo").</summary>
    private static readonly AsyncLocal<Line> Flow = new();

    private readonly AdmissionLines inFlight = new(limit, time);
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
    public static IDisposable FirstInLine() => Enter(Line.First);

    /// <summary>
    /// The requests sent in this async flow until disposed give way (<see cref="AdmissionLines.GiveWayBy"/>):
    /// for a record of what is already durable elsewhere, e.g. an account's journal rows of its
    /// positions' liquidations, which would otherwise hold up the liquidations after them.
    /// </summary>
    public static IDisposable GiveWay() => Enter(Line.GiveWay);

    /// <summary>Whether requests sent in this async flow now pass the queue.</summary>
    internal static bool PassesQueue => Flow.Value == Line.First;

    /// <summary>Where requests sent in this async flow now wait, as the storage counter tags them.</summary>
    internal static string LineName => Flow.Value switch
    {
        Line.First => "first",
        Line.GiveWay => "gives way",
        _ => "in line",
    };

    private static Restore Enter(Line line)
    {
        var outer = Flow.Value;
        Flow.Value = line;
        return new Restore(outer);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (PassesQueue)
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
        if (PassesQueue)
        {
            ProcessNext(message, pipeline);
            return;
        }

        Admit(message.CancellationToken).GetAwaiter().GetResult();
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
        inFlight.Leave();
    }

    private async Task Admit(CancellationToken cancellation)
    {
        var admitted = inFlight.Enter(Flow.Value == Line.GiveWay, cancellation);
        if (admitted.IsCompletedSuccessfully)
        {
            return;
        }

        Interlocked.Increment(ref waiting);
        EngineMetrics.StorageWaiting.Add(1);
        try
        {
            await admitted;
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
            EngineMetrics.StorageWaiting.Add(-1);
        }
    }

    private enum Line
    {
        InLine,
        First,
        GiveWay,
    }

    private sealed class Restore(Line outer) : IDisposable
    {
        public void Dispose() => Flow.Value = outer;
    }
}
