using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarginOrleans.Tests.Silo;

/// <summary>The real silo host of scripts/run.sh, started twice over the same Azurite tables.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloHostTests
{
    [Fact]
    public async Task SeededMarkets_SurviveARestartOfTheRealHost()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Margin:Storage"] = Azurite.ConnectionString,
            ["Margin:TablePrefix"] = ClusterFixture.NewTablePrefix(),
            ["Margin:ClusterId"] = "host-" + Guid.NewGuid().ToString("N")[..8],
            ["Margin:SiloPort"] = FreePort().ToString(),
            ["Margin:GatewayPort"] = FreePort().ToString(),
            ["Margin:OperatorApiKey"] = ApiKeys.NewKey(),
            ["Margin:PriceFeed:Enabled"] = "false",
        };

        var first = await SeededBtc(settings);
        var second = await SeededBtc(settings);

        Assert.Equal(60_000m, first.MarkPrice);
        Assert.Equal(10, first.Spec.Brackets.Count);
        Assert.Equal(first.Spec.Brackets, second.Spec.Brackets);
        Assert.Equal(first.MarkPrice, second.MarkPrice);
    }

    /// <summary>Runs the host (seeding calls grains in-process, uncopied) and reads BTC-USDT back.</summary>
    private static async Task<MarketSnapshot> SeededBtc(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMarginSilo();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            return (await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IMarketGrain>("BTC-USDT").GetSnapshot())!;
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
