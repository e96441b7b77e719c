using MarginOrleans.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MarginOrleans.Tests.Support;

/// <summary>An in-process Orleans cluster whose grain state lives in the suite's Azurite.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The engine's clock in this cluster: it stands still until a test advances it.</summary>
    public FakeTimeProvider Clock => TestClock.For(TablePrefix);

    /// <summary>Completes once every effect of the calls a test has had answered has landed (see <see cref="EngineActivity"/>).</summary>
    public Task Quiet() => EngineActivity.For(TablePrefix).Quiet;

    /// <summary>This fixture's own tables: its audits see only its own tests' accounts.</summary>
    public string TablePrefix { get; } = NewTablePrefix();

    public async Task InitializeAsync() => Cluster = await Start(TablePrefix);

    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A fresh cluster over the same storage: what a full restart of every silo looks like.</summary>
    /// <summary>
    /// A fresh cluster over the tables of <paramref name="tablePrefix"/>, its engine on that prefix's
    /// <see cref="TestClock"/>; <paramref name="systemClock"/>: on the real clock instead, for a test
    /// whose subject is real time passing (a feed kept running while silos die).
    /// </summary>
    /// <param name="storage">the one storage account, or several separated by new lines (the suite's Azurite if none)</param>
    /// <param name="marketSilo">the one silo (by its test name: "Primary", "Secondary_1", …) given the markets' role (SiloRoles)</param>
    public static async Task<TestCluster> Start(string tablePrefix, short silos = 1, int priceFeedMilliseconds = 0, bool systemClock = false, string? storage = null,
        string? marketSilo = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties["TablePrefix"] = tablePrefix;
        builder.Properties["Storage"] = storage ?? Azurite.ConnectionString;
        builder.Properties["SystemClock"] = systemClock ? "true" : "false";
        builder.Properties["MarketSilo"] = marketSilo ?? "";

        // A test cluster skips placement filters (they need each silo's type map): a silo role needs them.
        builder.Options.AssumeHomogenousSilosForTesting = marketSilo is null;
        builder.Properties["PriceFeedMilliseconds"] = priceFeedMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Grain state rows are keyed by service id: a restarted cluster must keep it to find its state.
        builder.Options.ServiceId = "margin-tests";
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            // A deployment whose silo refused to start (e.g. another storage layout) still holds the cluster's port reservations.
            await cluster.DisposeAsync();
            throw;
        }

        foreach (var client in new IGrainFactory[] { cluster.GrainFactory, cluster.Client })
        {
            EngineActivity.Watch(client, tablePrefix);
            TestClock.Watch(client, tablePrefix);
            ActivationWitness.Watch(client, tablePrefix);
        }
        return cluster;
    }

    /// <summary>Runs <paramref name="body"/> on a cluster over the tables of <paramref name="tablePrefix"/>, then stops every silo.</summary>
    public static async Task Run(string tablePrefix, Func<IGrainFactory, Task> body)
    {
        var cluster = await Start(tablePrefix);
        try
        {
            await body(cluster.GrainFactory);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="body"/> on a fresh cluster of <paramref name="silos"/> silos over new tables, then stops it.</summary>
    public static async Task With(short silos, Func<TestCluster, Task> body, int priceFeedMilliseconds = 0, bool systemClock = false, string? marketSilo = null)
    {
        var cluster = await Start(NewTablePrefix(), silos, priceFeedMilliseconds, systemClock, marketSilo: marketSilo);
        try
        {
            await body(cluster);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>The test client can watch marks as a gateway does; its one-way calls count as the engine's work until handled.</summary>
    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client)
        {
            client.AddMemoryStreams(MarginOrleans.Markets.MarkStreams.Provider);
            client.Services.AddSingleton<IOutgoingGrainCallFilter>(new ClientOneWayCalls(EngineActivity.For(configuration["TablePrefix"]!)));
        }
    }

    /// <summary>A test never hears when its one-way call is handled; its two-way calls it awaits itself.</summary>
    private sealed class ClientOneWayCalls(EngineActivity activity) : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context) =>
            EngineActivity.IsOneWay(context.InterfaceMethod) ? activity.Invoke(context) : context.Invoke();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var role = silo.Configuration["MarketSilo"] is { Length: > 0 } marketSilo && silo.Configuration["Orleans:Name"] == marketSilo ? MarginOrleans.Placement.SiloRoles.Markets : "";
            silo.AddMarginGrains((silo.Configuration["Storage"] ?? Azurite.ConnectionString).Split('\n'), silo.Configuration["TablePrefix"] ?? throw new InvalidOperationException("TablePrefix is not set"),
                role: role);
            silo.Services.AddSingleton<IFaultInjector>(TestFaults.Instance);
            var activity = EngineActivity.For(silo.Configuration["TablePrefix"]!);
            silo.Services.AddSingleton<IOutgoingGrainCallFilter>(activity);
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(activity);
            silo.Services.AddSingleton<IConfigureGrainContextProvider>(ActivationWitness.For(silo.Configuration["TablePrefix"]!));
            if (silo.Configuration["SystemClock"] != "true")
            {
                // The engine and its grain timers on the test's clock; Orleans' own machinery
                // (messaging, membership, activation collection) keeps real time.
                silo.Services.AddSingleton<TimeProvider>(TestClock.For(silo.Configuration["TablePrefix"]!));
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);

                // Orleans times each placement on the unkeyed clock, the test's: an advance past its
                // timeout (30 s by default) failed a placement in flight. A test's advances stay within a day.
                silo.Services.Configure<SiloMessagingOptions>(options => options.PlacementTimeout = TimeSpan.FromDays(1));
            }

            // The silo host's own feed keeper, as scripts/run.sh runs it on every silo.
            if (int.Parse(silo.Configuration["PriceFeedMilliseconds"] ?? "0", System.Globalization.CultureInfo.InvariantCulture) is > 0 and var interval)
            {
                silo.Services.AddSingleton(new MarginOptions { PriceFeed = { Enabled = true, IntervalMilliseconds = interval } });
                silo.Services.AddHostedService<PriceFeed>();
            }
        }
    }
}
