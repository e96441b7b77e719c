using Grpc.Net.Client;
using MarginOrleans.Operations;
using MarginOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// The topology of scripts/run.sh in one process: the real silo host (seeded markets, operator key)
/// and the real gateway host (Orleans client, Kestrel h2c on a loopback port), called over TCP.
/// </summary>
public sealed class RealHostsTests
{
    [Fact]
    public async Task SiloAndGatewayHosts_ServeATraderOverLoopback()
    {
        var (operatorKey, clusterId, gatewayPort, grpcPort) = (ApiKeys.NewKey(), "e2e-" + Guid.NewGuid().ToString("N")[..8], FreePort(), FreePort());
        var silo = Host.CreateApplicationBuilder();
        silo.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Margin:Storage"] = Azurite.ConnectionString,
            ["Margin:TablePrefix"] = ClusterFixture.NewTablePrefix(),
            ["Margin:ClusterId"] = clusterId,
            ["Margin:SiloPort"] = FreePort().ToString(),
            ["Margin:GatewayPort"] = gatewayPort.ToString(),
            ["Margin:OperatorApiKey"] = operatorKey,
            ["Margin:PriceFeed:Enabled"] = "false",
        });
        silo.AddMarginSilo();
        using var siloHost = silo.Build();
        await siloHost.StartAsync();
        await siloHost.Services.GetServices<IHostedService>().OfType<Seeding>().Single().Seeded;

        var gateway = WebApplication.CreateBuilder();
        gateway.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Margin:ClusterId"] = clusterId,
            ["Margin:GatewayPort"] = gatewayPort.ToString(),
        });
        gateway.WebHost.UseUrls($"http://127.0.0.1:{grpcPort}");
        gateway.AddMarginGateway();
        await using var gatewayHost = gateway.Build();
        gatewayHost.MapMarginGateway();
        await gatewayHost.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var markets = await new Api.V1.Markets.MarketsClient(channel).ListMarketsAsync(new ListMarketsRequest());
            Assert.Equal(["BTC-USDT", "ETH-USDT", "SOL-USDT"], markets.Markets.Select(m => m.Symbol));
            Assert.Equal("60000", markets.Markets[0].MarkPrice);

            var operations = new Api.V1.Operations.OperationsClient(channel);
            var created = await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = RequestId(), AccountId = "alice" }, Bearer(operatorKey));
            await operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = "alice", Amount = "10000" }, Bearer(operatorKey));
            var opened = await new Api.V1.Positions.PositionsClient(channel).OpenPositionAsync(
                new OpenPositionRequest { RequestId = RequestId(), Symbol = "BTC-USDT", Side = Side.Long, Quantity = "0.1", Leverage = 20 }, Bearer(created.ApiKey));

            // IM 0.1 × 60,000 / 20 = 300; fee 6,000 × 0.05% = 3.
            Assert.Equal(("9697", "300"), (opened.WalletBalance, opened.Position.IsolatedMargin));
            var audit = await operations.AuditAsync(new AuditRequest(), Bearer(operatorKey));
            Assert.True(audit.Balanced);
        }
        finally
        {
            await gatewayHost.StopAsync();
            await siloHost.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
