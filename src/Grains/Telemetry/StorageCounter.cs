using Azure.Core;
using Azure.Core.Pipeline;

namespace MarginOrleans.Telemetry;

/// <summary>
/// Counts every Azure Table request the grains send, by HTTP method: production pays per
/// operation, so the load test reports operations per command from this counter.
/// </summary>
public sealed class StorageCounter : HttpPipelineSynchronousPolicy
{
    public static readonly StorageCounter Instance = new();

    public override void OnSendingRequest(HttpMessage message) =>
        EngineMetrics.StorageOperations.Add(1, new KeyValuePair<string, object?>("method", message.Request.Method.Method));
}
