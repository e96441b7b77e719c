using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    /// <summary>The real host over two storage accounts from its settings: BTC-USDT's row lies in the second (its key's hash), and survives a restart.</summary>
    [Fact]
    public async Task OverTwoStorageAccounts_SeededMarkets_LieWhereTheirSymbolPicks_AndSurviveARestart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var settings = new Dictionary<string, string?>
        {
            ["Margin:StorageAccounts:0"] = Azurite.ConnectionString,
            ["Margin:StorageAccounts:1"] = Azurite.Second,
            ["Margin:TablePrefix"] = prefix,
            ["Margin:ClusterId"] = "host-" + Guid.NewGuid().ToString("N")[..8],
            ["Margin:SiloPort"] = FreePort().ToString(),
            ["Margin:GatewayPort"] = FreePort().ToString(),
            ["Margin:OperatorApiKey"] = ApiKeys.NewKey(),
            ["Margin:PriceFeed:Enabled"] = "false",
        };

        var first = await SeededBtc(settings);
        var second = await SeededBtc(settings);

        Assert.Equal(60_000m, second.MarkPrice);
        Assert.Equal(first.Spec.Brackets, second.Spec.Brackets);
        var btcRows = new List<int>();
        foreach (var (connection, account) in new[] { Azurite.ConnectionString, Azurite.Second }.Select((c, i) => (c, i)))
        {
            await foreach (var row in new Azure.Data.Tables.TableServiceClient(connection).GetTableClient(prefix + "grains")
                .QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
            {
                if (row.PartitionKey.EndsWith("_market_BTC-USDT", StringComparison.Ordinal))
                {
                    btcRows.Add(account);
                }
            }
        }

        Assert.Equal([1], btcRows);
    }

    /// <summary>
    /// Over data of one storage account, a host configured with two refuses while it starts, before its silo listens:
    /// refused inside the silo's own start, it used to leave a half-started silo whose membership loops ran on.
    /// </summary>
    [Fact]
    public async Task OverDataOfOneStorageAccount_AHostWithTwo_RefusesBeforeItsSiloListens()
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var settings = new Dictionary<string, string?>
        {
            ["Margin:Storage"] = Azurite.ConnectionString,
            ["Margin:TablePrefix"] = ClusterFixture.NewTablePrefix(),
            ["Margin:ClusterId"] = "host-" + Guid.NewGuid().ToString("N")[..8],
            ["Margin:SiloPort"] = siloPort.ToString(),
            ["Margin:GatewayPort"] = gatewayPort.ToString(),
            ["Margin:OperatorApiKey"] = ApiKeys.NewKey(),
            ["Margin:PriceFeed:Enabled"] = "false",
        };
        await SeededBtc(settings);

        settings["Margin:StorageAccounts:0"] = Azurite.ConnectionString;
        settings["Margin:StorageAccounts:1"] = Azurite.Second;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMarginSilo();
        using var host = builder.Build();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.StartsWith("The stored data is spread over 1 storage account(s), but this silo is configured with 2 (Margin:StorageAccounts).", refused.Message);
        Assert.Equal((false, false), (await Listens(siloPort), await Listens(gatewayPort)));
    }

    /// <summary>The silo's settings are checked before it starts; each bad one is named (a typo in Clustering used to start a lone localhost silo).</summary>
    [Theory]
    [InlineData("Margin:Clustering", "Azuretable", "Margin:Clustering must be \"Localhost\" or \"AzureTable\", not \"Azuretable\".")]
    [InlineData("Margin:TablePrefix", "my-prefix", "Margin:TablePrefix must be empty or a letter then up to 39 letters or digits (it starts Azure table names), not \"my-prefix\".")]
    [InlineData("Margin:StorageOperationsInFlight", "0", "Margin:StorageOperationsInFlight must be at least 1, not 0.")]
    [InlineData("Margin:Role", "market", "Margin:Role must be empty, \"markets\" or \"trading\", not \"market\".")]
    [InlineData("Margin:SiloPort", "70000", "Margin:SiloPort must be 1 to 65535, not 70000.")]
    [InlineData("Margin:GatewayPort", "11111", "Margin:SiloPort and Margin:GatewayPort must differ (both 11111).")]
    [InlineData("Margin:Metrics:Port", "-1", "Margin:Metrics:Port must be 0 (off) to 65535, not -1.")]
    [InlineData("Margin:PriceFeed:IntervalMilliseconds", "0", "Margin:PriceFeed:IntervalMilliseconds must be at least 10, not 0.")]
    [InlineData("Margin:Storage", " ", "Margin:Storage (an Azure Storage connection string, or \"memory\") is required.")]
    [InlineData("Margin:Clustering", "AzureTable", "Margin:Storage \"memory\" keeps tables inside one silo: AzureTable clustering needs an Azure Storage connection string.")]
    [InlineData("Margin:StorageAccounts:1", "memory", "Margin:StorageAccounts must list Azure Storage connection strings, none empty or \"memory\".")]
    [InlineData("Margin:StorageAccounts:0", "UseDevelopmentStorage=true", "Margin:Storage must be the first of Margin:StorageAccounts (cluster membership lives there), or be left out.")]
    public void BadSetting_StopsTheHostBeforeItStarts_NamingTheSetting(string key, string value, string problem)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Margin:Storage"] = "memory",
            ["Margin:SiloPort"] = "11111",
            ["Margin:PriceFeed:Enabled"] = "true",
            [key] = value,
        });

        var thrown = Assert.Throws<OptionsValidationException>(() => builder.AddMarginSilo());

        Assert.Equal([problem], thrown.Failures);
    }

    /// <summary>Runs the host (seeding calls grains in-process, uncopied), waits for its seeding and reads BTC-USDT back.</summary>
    private static async Task<MarketSnapshot> SeededBtc(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMarginSilo();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await host.Services.GetServices<IHostedService>().OfType<Seeding>().Single().Seeded;
            return (await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IMarketGrain>("BTC-USDT").GetSnapshot())!;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<bool> Listens(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException refused) when (refused.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
