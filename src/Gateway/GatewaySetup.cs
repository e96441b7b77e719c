using Azure.Data.Tables;
using MarginOrleans.Gateway.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;

namespace MarginOrleans.Gateway;

public static class GatewaySetup
{
    /// <summary>The gateway process: an Orleans client of the silo cluster plus the gRPC services.</summary>
    public static WebApplicationBuilder AddMarginGateway(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Margin");
        var clusterId = section["ClusterId"] ?? "margin-local";
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (clusterId, "margin"));
            if (section["Clustering"] == "AzureTable")
            {
                var storage = section["Storage"] is { Length: > 0 } s ? s
                    : throw new InvalidOperationException("The setting Margin:Storage is required with AzureTable clustering.");
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage));
            }
            else
            {
                client.UseLocalhostClustering(int.Parse(section["GatewayPort"] ?? "30000"), "margin", clusterId);
            }
        });
        builder.Services.AddMarginGatewayServices();

        // gRPC over cleartext needs HTTP/2 only (h2c): without it Kestrel answers HTTP_1_1_REQUIRED.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        return builder;
    }

    /// <summary>The gRPC services over whatever <see cref="IGrainFactory"/> the host provides.</summary>
    public static IServiceCollection AddMarginGatewayServices(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddOptions<RateLimitOptions>().BindConfiguration("Gateway:RateLimit");
        services.AddSingleton<Callers>();
        return services;
    }

    public static WebApplication MapMarginGateway(this WebApplication app)
    {
        app.MapGrpcService<MarketsService>();
        app.MapGrpcService<AccountsService>();
        app.MapGrpcService<PositionsService>();
        app.MapGrpcService<OperationsService>();
        app.MapGet("/", () => "MarginOrleans gateway: gRPC services margin.v1.Markets, Accounts, Positions, Operations.");
        return app;
    }
}
