using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using MarginOrleans.Placement;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginOrleans.Silo;

public static class SiloSetup
{
    /// <summary>Orleans' table storage, under the account batches (<see cref="AccountStateStorage"/>); its rows do not name it.</summary>
    private const string GrainRows = "margin-rows";

    /// <summary>The whole silo: Orleans with its storage and clustering, seeding, the price feeds and metrics.</summary>
    public static IHostApplicationBuilder AddMarginSilo(this IHostApplicationBuilder builder)
    {
        // Read now, to configure Orleans, and so checked now: the host never starts on bad settings.
        var options = (builder.Configuration.GetSection("Margin").Get<MarginOptions>() ?? new MarginOptions()).Validated();

        builder.Services.AddSingleton(options);
        builder.UseOrleans(silo =>
        {
            silo.AddMarginGrains(options.StorageConnections(), options.TablePrefix, options.StorageOperationsInFlight, options.Role);
            silo.Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (options.ClusterId, MarginCluster.ServiceId));
            silo.Configure<ClusterMembershipOptions>(Membership.Configure);
            if (options.Clustering == MarginCluster.AzureTableClustering)
            {
                silo.UseAzureStorageClustering(c => c.TableServiceClient = new TableServiceClient(options.StorageConnections()[0]));
                if (options.AdvertisedAddress == MarginOptions.AnyAddress)
                {
                    silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
                }
                else
                {
                    // Loopback unless configured: silo ports belong on a private network.
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                }
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: MarginCluster.ServiceId, clusterId: options.ClusterId);
            }

            if (options.Dashboard.Enabled)
            {
                silo.AddDashboard();
            }
        });
        builder.Services.AddHostedService<Seeding>();
        if (options.PriceFeed.Enabled)
        {
            builder.Services.AddHostedService<PriceFeed>();
        }

        builder.AddMarginMetrics(options);
        return builder;
    }

    /// <summary>Grain storage and the services grains need; shared by the silo host and the test clusters.</summary>
    public static ISiloBuilder AddMarginGrains(this ISiloBuilder silo, string storage, string tablePrefix) => silo.AddMarginGrains([storage], tablePrefix);

    /// <summary>
    /// Grain storage and the services grains need, over one or several storage accounts: each key's rows lie in the one
    /// its hash picks (<see cref="StorageShard"/>). With one, every table and row is where a single account keeps it.
    /// </summary>
    public static ISiloBuilder AddMarginGrains(this ISiloBuilder silo, IReadOnlyList<string> storage, string tablePrefix,
        int operationsInFlight = MarginOptions.DefaultStorageOperationsInFlight, string role = "")
    {
        // Grains that ask for a silo role (SiloRoles) find the silos that have it in their metadata.
        silo.UseSiloMetadata(role.Length > 0 ? new Dictionary<string, string> { [SiloRoles.MetadataKey] = role } : []);
        silo.Services.AddPlacementFilter<OnSiloRoleStrategy, OnSiloRoleDirector>(ServiceLifetime.Transient);

        // Both providers store Orleans' own binary format: version-tolerant by the [Id]s on every state
        // type, able to read back any type it wrote (the default JSON cannot, e.g. compiler-made
        // read-only lists), and it never calls a computed property. Memory storage is what the
        // measurements run on, so it must store exactly what Azure Table stores.
        // Storage waits are real time, whatever clock the engine runs on.
        var queues = new StorageQueues(TimeProvider.System);
        silo.Services.AddSingleton(queues);
        if (storage is [MarginOptions.MemoryStorage])
        {
            silo.AddMemoryGrainStorage(GrainRows, options => options.Configure<Serializer>((o, serializer) =>
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.Services.AddSingleton(Tables.Memory());
            silo.Services.AddKeyedSingleton<IGrainStorage>(MarginCluster.Storage, (services, _) => new MemoryPositionTriggers(
                services.GetRequiredKeyedService<IGrainStorage>(GrainRows), services.GetRequiredService<Tables>()));
        }
        else
        {
            var clients = storage.Select(account => Client(account, queues.Add(operationsInFlight))).ToList();
            AddGrainRows(silo, clients, tablePrefix);
            silo.Services.AddSingleton(Tables.Azure(clients, tablePrefix));
            silo.Services.AddHostedService<StorageLayout>();

            // An account's state, journal rows and request ids in one batch; a position's batched with its market bucket's; every other grain's state in Orleans' rows.
            silo.Services.AddSingleton<StateStoredBefore>();
            silo.Services.AddKeyedSingleton<IGrainStorage>(MarginCluster.Storage, (services, _) => new AccountStateStorage(
                services.GetRequiredKeyedService<IGrainStorage>(GrainRows), services.GetRequiredService<Tables>(),
                services.GetRequiredService<JournalStore>(), services.GetRequiredService<Serializer>(), services.GetRequiredService<StateStoredBefore>(),
                new PositionRows(services.GetRequiredKeyedService<IGrainStorage>(GrainRows), services.GetRequiredService<Tables>(),
                    services.GetRequiredService<PartitionCommits>(), services.GetRequiredService<Serializer>(), services.GetRequiredService<StateStoredBefore>())));
            silo.Services.AddSingleton(services => new JournalStore(services.GetRequiredService<Tables>(), services.GetRequiredService<Serializer>())
            {
                WrittenWithState = true,
            });
        }

        // Live marks for the gateways' watchers: memory streams, never the engine's data.
        silo.AddMemoryStreams(Markets.MarkStreams.Provider);
        silo.AddMemoryGrainStorage("PubSubStore");

        // A caller's word that a grain is new is for that grain's activation only, never for whatever it calls next.
        silo.AddIncomingGrainCallFilter(context =>
        {
            AssumedNew.Forget();
            return context.Invoke();
        });

        silo.Services.AddSingleton<TriggerStore>();
        silo.Services.AddSingleton<FundRows>();
        silo.Services.TryAddSingleton<JournalStore>();
        silo.Services.AddSingleton<AccountDirectory>();
        silo.Services.AddSingleton<PartitionCommits>();

        // The engine's one clock: every time the engine reads (funding and mark times, journal
        // rows, answer timeouts) and every grain timer it runs (Orleans' own run on this provider
        // too). A test cluster puts a clock it advances in its place.
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<IFaultInjector, NoFaults>();
        return silo;
    }

    /// <summary>
    /// Orleans' table storage of every grain but the account, in each storage account; over several, a grain's
    /// state goes to the one of its routing key (<see cref="ShardedGrainStorage"/>).
    /// </summary>
    private static void AddGrainRows(ISiloBuilder silo, IReadOnlyList<TableServiceClient> clients, string tablePrefix)
    {
        var names = clients.Count == 1 ? [GrainRows] : clients.Select((_, i) => $"{GrainRows}-{i}").ToList();
        foreach (var (name, client) in names.Zip(clients))
        {
            silo.AddAzureTableGrainStorage(name, options => options.Configure<Serializer>((o, serializer) =>
                (o.TableServiceClient, o.TableName, o.GrainStorageSerializer) =
                (client, tablePrefix + Tables.Grains, new OrleansGrainStorageSerializer(serializer))));
        }

        if (clients.Count > 1)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainRows, (services, _) =>
                new ShardedGrainStorage([.. names.Select(services.GetRequiredKeyedService<IGrainStorage>)]));
        }
    }

    /// <summary>
    /// A storage account's client, shared by Orleans' grain storage and the engine's tables: every request is
    /// counted, and waits its turn in the account's <paramref name="admission"/> queue (each retry again).
    /// Clustering uses a client of its own, neither counted nor queued.
    /// </summary>
    private static TableServiceClient Client(string storage, StorageAdmission admission)
    {
        var options = new TableClientOptions();
        options.AddPolicy(StorageCounter.Instance, HttpPipelinePosition.PerCall);
        options.AddPolicy(admission, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(storage, options);
    }
}
