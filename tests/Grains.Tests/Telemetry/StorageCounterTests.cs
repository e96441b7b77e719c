using System.Diagnostics.Metrics;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using MarginOrleans.Telemetry;
using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Telemetry;

/// <summary>
/// The storage counter names every request a table client sends, from the request alone, as
/// Orleans' grain storage (replace with an ETag) and the engine's tables (labelled batches) send them.
/// </summary>
public sealed class StorageCounterTests
{
    /// <summary>
    /// Set in this test's async flow only: a listener's callback runs on the sending flow, so
    /// requests of other tests (which share the process-wide counter) are told apart by it.
    /// </summary>
    private static readonly AsyncLocal<bool> ThisTest = new();

    [Fact]
    public async Task EveryRequest_IsCountedByTableOperationAndAccess()
    {
        var name = "counted" + Guid.NewGuid().ToString("N")[..12];
        var options = new TableClientOptions();
        options.AddPolicy(StorageCounter.Instance, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(Azurite.ConnectionString, options).GetTableClient(name);
        var counted = new List<string>();
        using var listener = Listen(counted);
        ThisTest.Value = true;

        await table.CreateAsync();
        var row = new TableEntity("p", "r") { ["Data"] = new byte[] { 1, 2, 3 } };
        var etag = (await table.UpsertEntityAsync(row, TableUpdateMode.Replace)).Headers.ETag!.Value;
        await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);
        await table.GetEntityAsync<TableEntity>("p", "r");
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p")) { }
        using (StorageCounter.Labelled(name, "journal batch"))
        {
            await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "s"))]);
        }

        await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "s"), ETag.All)]);
        await table.DeleteEntityAsync("p", "r");
        await table.DeleteAsync();

        Assert.Equal(
        [
            "Tables create table write", $"{name} upsert replace write", $"{name} conditional replace write", $"{name} merge write",
            $"{name} point read read", $"{name} query read", $"{name} journal batch write", "unknown batch write",
            $"{name} delete write", "Tables delete table write",
        ], counted);
    }

    private static MeterListener Listen(List<string> counted)
    {
        var listener = new MeterListener
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
            if (ThisTest.Value)
            {
                var named = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
                lock (counted)
                {
                    counted.Add($"{named["table"]} {named["operation"]} {named["access"]}");
                }
            }
        });
        listener.Start();
        return listener;
    }
}
