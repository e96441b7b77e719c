using MarginOrleans.Silo;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MarginOrleans.Tests.Support;

/// <summary>An in-process Orleans cluster whose grain state lives in the suite's Azurite.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync() => Cluster = await Start();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A fresh cluster over the same storage: what a full restart of every silo looks like.</summary>
    public static async Task<TestCluster> Start()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMarginGrains(Azurite.ConnectionString);
            silo.Services.AddSingleton<IFaultInjector>(TestFaults.Instance);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
