using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using MarginOrleans.Operations;
using MarginOrleans.Storage;
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
        var requests = new PassingRecorder();
        var prefix = ClusterFixture.NewTablePrefix();
        var tables = new Tables(1, (_, name) => new TableClient(Azurite.ConnectionString, prefix + name, Options(requests)));
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

        var (state, etag, applied) = await new FundRows(tables, serializer).Load("fund-1", new InsuranceFundState { Balance = 3m });
        Assert.Equal((3m, null, 0), (state.Balance, etag, applied.Count));
        Assert.Empty(await new TriggerStore(tables).Load("BTC-USDT/0"));
        Assert.True(requests.Passed.Count >= 2, $"{requests.Passed.Count} requests");
        Assert.All(requests.Passed, Assert.True);

        // Outside those reads, a request waits its turn.
        await (await tables.InAccount(0, Tables.Funds)).GetEntityIfExistsAsync<TableEntity>("p", "r");
        Assert.False(requests.Passed[^1]);
    }

    private static TableClientOptions Options(PassingRecorder requests)
    {
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        return options;
    }

    /// <summary>Records, per request sent, whether it would pass the silo's queue (<see cref="StorageAdmission"/>).</summary>
    private sealed class PassingRecorder : HttpPipelineSynchronousPolicy
    {
        private readonly List<bool> passed = [];

        public List<bool> Passed
        {
            get
            {
                lock (passed)
                {
                    return [.. passed];
                }
            }
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            lock (passed)
            {
                passed.Add(StorageAdmission.PassesQueue);
            }
        }
    }
}
