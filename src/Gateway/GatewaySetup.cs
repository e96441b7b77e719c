using Azure.Data.Tables;
using Grpc.AspNetCore.Server.Model;
using MarginOrleans.Gateway.Rest;
using MarginOrleans.Gateway.Services;
using MarginOrleans.Gateway.Streaming;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace MarginOrleans.Gateway;

public static class GatewaySetup
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often the gateway re-reads the live silos from the membership table (Orleans: 1 min).</summary>
    public static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    /// <summary>Open streams end at once on stop (<see cref="GatewayStopping"/>); the rest gets this long.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The gateway process: an Orleans client of the silo cluster plus the gRPC services.</summary>
    public static WebApplicationBuilder AddMarginGateway(this WebApplicationBuilder builder)
    {
        var cluster = ClusterSettings.Read(builder.Configuration); // read now, to configure the client, so checked now
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (cluster.ClusterId, MarginCluster.ServiceId));

            // A call the gateway silo forwarded to a silo that then died is not failed by Orleans: the
            // client waits out its response timeout (dotnet/orleans#10165; 30 s by default — the two
            // accounts stuck 30 s after a whole-cluster restart). Every command answers in well under a
            // second, so 10 s bounds that wait; the caller gets DeadlineExceeded, safe to retry with its
            // request id. The audit, which visits every account, has a timeout of its own.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
            client.AddMemoryStreams(Markets.MarkStreams.Provider);
            client.UseConnectionRetryFilter<ConnectionRetry>();

            // The membership table lists every live silo's gateway: a restarted gateway finds the silos
            // that are up, not only one configured port. Orleans re-reads it once a minute and keeps a
            // gateway it saw fail marked dead for that long — a silo restarted on the same port was
            // shunned for up to a minute, and a gateway that started beside restarting silos served
            // nothing for 90 s. Every 5 s costs one table query per gateway.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefresh);
            if (cluster.UsesAzureTable)
            {
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(cluster.Storage));
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, MarginCluster.ServiceId, cluster.ClusterId);
            }
        });
        builder.Services.AddSingleton(sp => new ClusterConnection(connected: false, sp.GetRequiredService<ILogger<ClusterConnection>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<IClusterClientLifecycle>>(sp => sp.GetRequiredService<ClusterConnection>());

        // Kestrel starts beside the Orleans client rather than after it: the port answers (Unavailable)
        // while the client is still looking for the cluster.
        builder.Services.Configure<HostOptions>(o => (o.ServicesStartConcurrently, o.ShutdownTimeout) = (true, ShutdownTimeout));
        builder.Services.AddMarginGatewayServices();

        // Prometheus scrape over HTTP/1.1 on its own loopback port: the gRPC port speaks HTTP/2 only.
        if (builder.Configuration.GetValue<int>("Gateway:MetricsPort") is > 0 and var metricsPort)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Grpc.AspNetCore.Server")
                .AddPrometheusHttpListener(o => (o.Host, o.Port) = ("127.0.0.1", metricsPort)));
        }

        // gRPC over cleartext needs HTTP/2 only (h2c): without it Kestrel answers HTTP_1_1_REQUIRED.
        // REST, gRPC-Web and the docs page are also on a loopback HTTP/1.1 port when one is set.
        builder.ListenForRest();
        return builder;
    }

    /// <summary>The gRPC services over whatever <see cref="IGrainFactory"/> the host provides.</summary>
    public static IServiceCollection AddMarginGatewayServices(this IServiceCollection services)
    {
        services.TryAddSingleton(new ClusterConnection(connected: true, NullLogger.Instance)); // an in-process cluster is there from the start
        services.TryAddSingleton(TimeProvider.System); // the gateway's one clock: key cache, market list, held opens, the journal feed's ticks
        services.AddSingleton<GatewayStopping>();
        var grpc = services.AddGrpc(grpc => grpc.Interceptors.Add<FailoverInterceptor>());
        services.AddMarginRest(grpc);
        CheckRequestBytes(services);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        services.AddOptions<RateLimitOptions>().BindConfiguration("Gateway:RateLimit")
            .Validate(o => o.PermitsPerSecond > 0 && o.Burst > 0, "Gateway:RateLimit:PermitsPerSecond and :Burst must be above 0")
            .Validate(o => o.OperatorPermitsPerSecond is null or > 0 && o.OperatorBurst is null or > 0, "Gateway:RateLimit:OperatorPermitsPerSecond and :OperatorBurst must be above 0 when set")
            .ValidateOnStart();
        services.AddOptions<ApiKeyCacheOptions>().BindConfiguration("Gateway:ApiKeyCache")
            .Validate(o => o.Seconds is >= 1 and <= 3600, "Gateway:ApiKeyCache:Seconds must be 1 to 3600").ValidateOnStart();
        services.AddSingleton<Callers>();
        services.AddSingleton<MarkFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<MarkFeed>()); // stops before the Orleans client (registered before it)
        services.AddSingleton<KnownMarkets>();
        services.AddSingleton<JournalFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JournalFeed>());
        return services;
    }

    /// <summary>
    /// Every service is bound by <see cref="CheckedRequestProvider{TService}"/> instead of grpc-dotnet's
    /// own provider, so a malformed request body is InvalidArgument rather than UNKNOWN. Fails at start
    /// if grpc-dotnet's provider is not where it was: left in place, it would bind every method twice.
    /// </summary>
    private static void CheckRequestBytes(IServiceCollection services)
    {
        var theirs = services.SingleOrDefault(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1")
            ?? throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider is not registered: the request check cannot replace it");
        services.Remove(theirs);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(CheckedRequestProvider<>));
    }

    public static WebApplication MapMarginGateway(this WebApplication app)
    {
        app.UseMarginPanel();
        app.UseMarginRest();
        app.MapMarginStreaming();
        app.MapGrpcService<MarketsService>();
        app.MapGrpcService<AccountsService>();
        app.MapGrpcService<PositionsService>();
        app.MapGrpcService<OrdersService>();
        app.MapGrpcService<OperationsService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
