using Azure.Core;
using Azure.Core.Pipeline;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Storage;

/// <summary>
/// Admission control for one storage account: at most <c>limit</c> rows of this silo's requests are
/// at the table service at once (a batch counts its rows: <see cref="Rows"/>), the rest wait here in
/// arrival order. A storage service serves a bounded rate; past a few dozen requests in flight
/// more only buy latency, and ten thousand at once (a cascade's liquidations) made single writes
/// take a minute and calls time out and retry.
/// Waiting here instead keeps every request's time to the queue ahead of it plus one service time,
/// and leaves room for the requests that must not queue (<see cref="FirstInLine"/>) and lets the
/// records of what is already durable give way to the writes that are not (<see cref="GiveWay"/>).
/// </summary>
public sealed class StorageAdmission(int limit, TimeProvider time) : HttpPipelinePolicy
{
    /// <summary>Where a flow's requests wait (docs/architecture.md, "Storage requests wait in the silo").</summary>
    private static readonly AsyncLocal<Line> Flow = new();

    /// <summary>The rows of the batch this flow sends (<see cref="Rows"/>); 0 for a single row's request.</summary>
    private static readonly AsyncLocal<int> BatchRows = new();

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

    /// <summary>
    /// The request sent in this async flow until disposed is a batch of <paramref name="rows"/> rows,
    /// and holds as many permits: the service's cost is per row (an emulator's time; an Azure Table
    /// partition's throughput target is in entities per second), so a queue of batches there is as
    /// long as their rows, and a write that passes our queue still waits behind all of them at the service.
    /// </summary>
    public static IDisposable Rows(int rows)
    {
        var outer = BatchRows.Value;
        BatchRows.Value = rows;
        return new Restored(() => BatchRows.Value = outer);
    }

    /// <summary>Whether requests sent in this async flow now pass the queue.</summary>
    internal static bool PassesQueue => Flow.Value == Line.First;

    /// <summary>Where requests sent in this async flow now wait, as the storage counter tags them.</summary>
    internal static string LineName => Flow.Value switch
    {
        Line.First => "first",
        Line.GiveWay => "gives way",
        _ => "in line",
    };

    private static Restored Enter(Line line)
    {
        var outer = Flow.Value;
        Flow.Value = line;
        return new Restored(() => Flow.Value = outer);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (PassesQueue)
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        var permits = await Admit(message.CancellationToken);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Release(permits);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (PassesQueue)
        {
            ProcessNext(message, pipeline);
            return;
        }

        var permits = Admit(message.CancellationToken).GetAwaiter().GetResult();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Release(permits);
        }
    }

    private void Release(int permits)
    {
        queueWait.Answered(Waiting);
        inFlight.Leave(permits);
    }

    /// <summary>Waits for the request's permits; how many it holds.</summary>
    private async Task<int> Admit(CancellationToken cancellation)
    {
        var permits = inFlight.Permits(BatchRows.Value);
        var admitted = inFlight.Enter(permits, Flow.Value == Line.GiveWay, cancellation);
        if (admitted.IsCompletedSuccessfully)
        {
            return permits;
        }

        Interlocked.Increment(ref waiting);
        EngineMetrics.StorageWaiting.Add(1);
        try
        {
            await admitted;
            return permits;
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

    private sealed class Restored(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
