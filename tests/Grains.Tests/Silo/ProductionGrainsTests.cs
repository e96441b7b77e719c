using MarginOrleans.Baselines;
using MarginOrleans.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace MarginOrleans.Tests.Silo;

/// <summary>
/// The production silo carries only the engine's grains: the load test's baseline patterns live in
/// a host of their own, so a production cluster can never activate them.
/// </summary>
public sealed class ProductionGrainsTests
{
    [Fact]
    public async Task ProductionSilo_HasNoBaselineGrainTypes_AndCannotResolveABaselineGrain()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Margin:Storage"] = MarginOptions.MemoryStorage,
            ["Margin:ClusterId"] = "grains-" + Guid.NewGuid().ToString("N")[..8],
            ["Margin:SiloPort"] = FreePort().ToString(),
            ["Margin:GatewayPort"] = FreePort().ToString(),
            ["Margin:SeedMarkets"] = "false",
            ["Margin:PriceFeed:Enabled"] = "false",
            ["Margin:Metrics:Port"] = "0",
        });
        builder.AddMarginSilo();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grainTypes = host.Services.GetRequiredService<IClusterManifestProvider>().Current.AllGrainManifests
                .SelectMany(manifest => manifest.Grains.Keys).Select(type => type.ToString()).ToList();
            var grains = host.Services.GetRequiredService<IGrainFactory>();

            Assert.Contains("market", grainTypes);
            Assert.DoesNotContain(grainTypes, type => type.Contains("baseline", StringComparison.OrdinalIgnoreCase));
            var thrown = Assert.Throws<ArgumentException>(() => grains.GetGrain<IBaselineRunGrain>("run-1"));
            Assert.Equal("Could not find an implementation for interface IBaselineRunGrain", thrown.Message);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
