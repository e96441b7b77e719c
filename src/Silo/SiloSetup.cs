using Azure.Data.Tables;
using MarginOrleans.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginOrleans.Silo;

public static class SiloSetup
{
    /// <summary>The whole silo: Orleans with Azure Table storage, the default markets, the operator key and the price feed.</summary>
    public static HostApplicationBuilder AddMarginSilo(this HostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Margin").Get<MarginOptions>() ?? new MarginOptions();
        if (string.IsNullOrWhiteSpace(options.Storage))
        {
            throw new InvalidOperationException("The setting Margin:Storage (an Azure Storage connection string) is required.");
        }

        builder.Services.AddSingleton(options);
        builder.UseOrleans(silo =>
        {
            silo.AddMarginGrains(options.Storage, options.TablePrefix);
            silo.Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (options.ClusterId, "margin"));
            if (options.Clustering == "AzureTable")
            {
                silo.UseAzureStorageClustering(c => c.TableServiceClient = new TableServiceClient(options.Storage))
                    .ConfigureEndpoints(options.SiloPort, options.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: "margin", clusterId: options.ClusterId);
            }
        });
        builder.Services.AddHostedService<Seeding>();
        if (options.PriceFeed.Enabled)
        {
            builder.Services.AddHostedService<PriceFeed>();
        }

        return builder;
    }

    /// <summary>Grain storage and the services grains need; shared by the silo host and the test clusters.</summary>
    public static ISiloBuilder AddMarginGrains(this ISiloBuilder silo, string storage, string tablePrefix)
    {
        // Orleans' own binary format: version-tolerant by the [Id]s on every state type, and able to
        // read back any type it wrote (the default JSON cannot, e.g. compiler-made read-only lists).
        silo.AddAzureTableGrainStorage("margin", options => options.Configure<Serializer>((o, serializer) =>
            (o.TableServiceClient, o.TableName, o.GrainStorageSerializer) =
            (new TableServiceClient(storage), tablePrefix + "grains", new OrleansGrainStorageSerializer(serializer))));
        silo.Services.AddSingleton(new TableServiceClient(storage));
        silo.Services.AddSingleton(new TablePrefix(tablePrefix));
        silo.Services.AddSingleton<Tables>();
        silo.Services.AddSingleton<TriggerStore>();
        silo.Services.AddSingleton<JournalStore>();
        silo.Services.AddSingleton<AccountDirectory>();
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<IFaultInjector, NoFaults>();
        return silo;
    }
}
