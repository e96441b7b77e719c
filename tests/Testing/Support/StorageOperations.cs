using System.Diagnostics.Metrics;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The storage operations the silo's own counter (<see cref="StorageCounter"/>) names for the tables
/// of one cluster, told apart from other clusters' by the table prefix: "table operation access",
/// the table named without its prefix. A request the counter cannot place in a table (an unlabelled
/// batch) is not this cluster's to count, so every store labels its batches. Each also keeps where it
/// waited in the silo's storage queue (<see cref="Take"/> with lines).
/// </summary>
public sealed class StorageOperations : IDisposable
{
    private readonly string prefix;
    private readonly MeterListener listener;
    private readonly List<(string Operation, string Line)> counted = [];
    private readonly List<Awaited> awaited = [];

    public StorageOperations(string tablePrefix)
    {
        prefix = tablePrefix;
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == "margin.storage.operations")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var named = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            if (named["table"].StartsWith(prefix, StringComparison.Ordinal))
            {
                var operation = $"{named["table"][prefix.Length..]} {named["operation"]} {named["access"]}";
                lock (counted)
                {
                    counted.Add((operation, named["line"]));
                    awaited.RemoveAll(a => a.Operation == operation && --a.Remaining == 0 && a.Signal.TrySetResult());
                }
            }
        });
        listener.Start();
    }

    /// <summary>
    /// Completes when <paramref name="operation"/> has been counted <paramref name="times"/> more
    /// times: for writes no call announces (a trigger shard's timer writing its removals).
    /// </summary>
    public Task Next(string operation, int times = 1)
    {
        var next = new Awaited(operation, times);
        lock (counted)
        {
            awaited.Add(next);
        }

        return next.Signal.Task;
    }

    /// <summary>The operations counted since the last take, sorted, and a fresh start; with <paramref name="lines"/>, each as "operation · line".</summary>
    public List<string> Take(bool lines = false)
    {
        lock (counted)
        {
            var taken = counted.Select(c => lines ? $"{c.Operation} · {c.Line}" : c.Operation).Order(StringComparer.Ordinal).ToList();
            counted.Clear();
            return taken;
        }
    }

    public void Dispose() => listener.Dispose();

    private sealed class Awaited(string operation, int times)
    {
        public string Operation { get; } = operation;

        public int Remaining { get; set; } = times;

        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
