using Azure.Data.Tables;
using Grpc.AspNetCore.Server.Model;
using MarginOrleans.Gateway.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace MarginOrleans.Gateway;

public static class GatewaySetup
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

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
            if (cluster.UsesAzureTable)
            {
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(cluster.Storage));
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, MarginCluster.ServiceId, cluster.ClusterId);
            }
        });
        builder.Services.AddMarginGatewayServices();

        // Prometheus scrape over HTTP/1.1 on its own loopback port: the gRPC port speaks HTTP/2 only.
        if (builder.Configuration.GetValue<int>("Gateway:MetricsPort") is > 0 and var metricsPort)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Grpc.AspNetCore.Server")
                .AddPrometheusHttpListener(o => (o.Host, o.Port) = ("127.0.0.1", metricsPort)));
        }

        // gRPC over cleartext needs HTTP/2 only (h2c): without it Kestrel answers HTTP_1_1_REQUIRED.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        return builder;
    }

    /// <summary>The gRPC services over whatever <see cref="IGrainFactory"/> the host provides.</summary>
    public static IServiceCollection AddMarginGatewayServices(this IServiceCollection services)
    {
        services.AddGrpc(grpc => grpc.Interceptors.Add<FailoverInterceptor>());
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
        services.AddSingleton<KnownMarkets>();
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
        app.MapGrpcService<MarketsService>();
        app.MapGrpcService<AccountsService>();
        app.MapGrpcService<PositionsService>();
        app.MapGrpcService<OperationsService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapGet("/", () => "MarginOrleans gateway: gRPC services margin.v1.Markets, Accounts, Positions, Operations.");
        return app;
    }
}
