using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi.Models;

namespace MarginOrleans.Gateway.Rest;

/// <summary>
/// The other doors to the same gRPC services: REST/JSON (JSON transcoding of each RPC's
/// <c>google.api.http</c> route), gRPC-Web, the OpenAPI document made from the protos and the page
/// that shows it. Every call still runs the service method, its interceptor and its rules: there is
/// one implementation of each rule.
/// </summary>
public static class RestSetup
{
    public const string OpenApiPath = "/openapi/v1.json";

    public const string DocsPath = "/docs";

    public static IServiceCollection AddMarginRest(this IServiceCollection services, IGrpcServerBuilder grpc)
    {
        grpc.AddJsonTranscoding(o => o.TypeRegistry = RestErrors.Details);
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o => o.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "MarginOrleans",
            Version = "v1",
            Description = "REST/JSON on the gRPC services margin.v1.Markets, Accounts, Positions and Operations. "
                + "Send `Authorization: Bearer <api-key>`; money, prices and quantities are decimal strings; "
                + "errors are google.rpc.Status with an ErrorInfo reason.",
        }));
        services.AddOptions<RestOptions>().BindConfiguration("Gateway:Rest")
            .Validate(o => o.HttpPort is >= 0 and <= 65535, "Gateway:Rest:HttpPort must be 0 (none) to 65535")
            .Validate(o => o.CorsOrigins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/"),
                "Gateway:Rest:CorsOrigins must be origins such as https://app.example.com")
            .ValidateOnStart();
        services.AddCors();
        return services;
    }

    /// <summary>
    /// Adds <see cref="RestOptions.HttpPort"/> on 127.0.0.1 beside the configured gRPC address,
    /// speaking HTTP/1.1; every other endpoint stays HTTP/2 only, which gRPC over cleartext needs.
    /// </summary>
    public static WebApplicationBuilder ListenForRest(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int>("Gateway:Rest:HttpPort");
        if (port > 0)
        {
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } set ? set : "http://localhost:5000";
            builder.WebHost.UseUrls($"{urls};http://127.0.0.1:{port}");
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = port > 0 && endpoint.IPEndPoint?.Port == port ? HttpProtocols.Http1 : HttpProtocols.Http2));
        return builder;
    }

    /// <summary>The middleware, before the endpoints: CORS (only for the configured origins), gRPC-Web, the REST request check, the docs.</summary>
    public static WebApplication UseMarginRest(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RestOptions>>().Value;
        if (options.CorsOrigins.Length > 0)
        {
            app.UseCors(cors => cors.WithOrigins(options.CorsOrigins).AllowAnyMethod()
                .WithHeaders("authorization", "content-type", RestRequests.IdempotencyKey, "x-grpc-web", "x-user-agent", "grpc-timeout")
                .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin"));
        }

        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseMiddleware<RestRequests>();
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = DocsPath.TrimStart('/');
            o.SwaggerEndpoint(OpenApiPath, "MarginOrleans v1");
            o.DocumentTitle = "MarginOrleans REST API";
        });
        return app;
    }
}
