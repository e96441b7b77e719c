using System.Diagnostics.Metrics;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The storage operations the silo's own counter (<see cref="StorageCounter"/>) names for the tables
/// of one cluster, told apart from other clusters' by the table prefix: "table operation access",
/// the table named without its prefix. A request the counter cannot place in a table (an unlabelled
/// batch) is not this cluster's to count, so every store labels its batches.
/// </summary>
public sealed class StorageOperations : IDisposable
{
    private readonly string prefix;
    private readonly MeterListener listener;
    private readonly List<string> counted = [];

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
                lock (counted)
                {
                    counted.Add($"{named["table"][prefix.Length..]} {named["operation"]} {named["access"]}");
                }
            }
        });
        listener.Start();
    }

    /// <summary>The operations counted since the last take, sorted, and a fresh start.</summary>
    public List<string> Take()
    {
        lock (counted)
        {
            var taken = counted.Order(StringComparer.Ordinal).ToList();
            counted.Clear();
            return taken;
        }
    }

    public void Dispose() => listener.Dispose();
}
