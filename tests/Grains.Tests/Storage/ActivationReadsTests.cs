using Azure.Core;
using Azure.Data.Tables;
using MarginOrleans.Operations;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A grain that group-commits reads its rows ahead of the silo's storage queue as it activates: a
/// fund first called in a cascade waited behind its positions' writes while every liquidation of its
/// market waited for it, and a shard's owners wait for its entries the same way.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ActivationReadsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AFundsRowsAndATriggerShardsEntries_AreReadAheadOfTheQueue()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        var options = new TableClientOptions();
        options.AddPolicy(StorageCounter.Instance, HttpPipelinePosition.PerRetry);
        var tables = new Tables(1, (_, name) => new TableClient(Azurite.ConnectionString, prefix + name, options));
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

        var (state, etag, applied) = await new FundRows(tables, serializer).Load("fund-1", new InsuranceFundState { Balance = 3m });
        Assert.Equal((3m, null, 0), (state.Balance, etag, applied.Count));
        Assert.Empty((await new TriggerStore(tables).Load("BTC-USDT_0")).Entries);
        Assert.Empty(await new TriggerStore(tables).LoadHeld("BTC-USDT", 0));
        string[] read = ["funds fund rows load read · first", "triggers trigger shard load read · first",
            .. Enumerable.Repeat("positions trigger shard load read · first", PositionRows.Buckets)];
        Assert.Equal(read.Order(StringComparer.Ordinal), operations.Take(lines: true));

        // Outside those reads, a request waits its turn.
        await (await tables.InAccount(0, Tables.Funds)).GetEntityIfExistsAsync<TableEntity>("p", "r");
        Assert.Equal(["funds point read read · in line"], operations.Take(lines: true));
    }
}
