using MarginOrleans.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace MarginOrleans.Silo;

public static class SiloMetrics
{
    /// <summary>Orleans' meters and the engine's, scraped by Prometheus at http://127.0.0.1:{port}/metrics.</summary>
    public static IHostApplicationBuilder AddMarginMetrics(this IHostApplicationBuilder builder, MarginOptions options)
    {
        if (options.Metrics.Port > 0)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans", EngineMetrics.MeterName)
                .AddPrometheusHttpListener(o => (o.Host, o.Port) = (options.AdvertisedAddress == MarginOptions.AnyAddress ? "+" : "127.0.0.1", options.Metrics.Port)));
        }

        return builder;
    }
}
