using Azure.Core;
using Azure.Core.Pipeline;
using MarginOrleans.Storage;

namespace MarginOrleans.Telemetry;

/// <summary>
/// Counts every Azure Table request sent through the storage client it is added to — Orleans'
/// grain storage and the engine's own tables alike, retries included — by table, operation and
/// access (read or write): production pays per operation, so the load test reports operations per
/// command from this counter. It only counts: no request is changed.
/// </summary>
public sealed class StorageCounter : HttpPipelineSynchronousPolicy
{
    public static readonly StorageCounter Instance = new();

    private static readonly AsyncLocal<(string Table, string Operation)?> Label = new();

    /// <summary>
    /// Names the requests sent in this async flow until disposed: a batch's path names no table,
    /// and a query's path does not say what it looks for (a journal page or one request row).
    /// </summary>
    public static IDisposable Labelled(string table, string operation)
    {
        var outer = Label.Value;
        Label.Value = (table, operation);
        return new Restore(() => Label.Value = outer);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var operation = StorageOperation.Of(request.Method.Method, request.Uri.Path, request.Headers.TryGetValue("If-Match", out var match) ? match : null);
        var label = Label.Value;
        EngineMetrics.StorageOperations.Add(1,
            new KeyValuePair<string, object?>("table", label?.Table ?? operation.Table ?? "unknown"),
            new KeyValuePair<string, object?>("operation", label?.Operation ?? operation.Name),
            new KeyValuePair<string, object?>("access", operation.Reads ? "read" : "write"),
            new KeyValuePair<string, object?>("line", StorageAdmission.LineName));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
