using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;
using MarginOrleans.Tests.Support;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>
/// What scripts/run.sh starts, as processes from this build: one silo (default markets, no
/// simulated feed, so marks move only when published) and one gateway, on free loopback ports,
/// against the suite's Azurite with a table prefix of their own.
/// </summary>
public sealed class ClusterProcesses : IAsyncLifetime
{
    private readonly List<(Process Process, StringBuilder Log)> hosts = [];

    public string OperatorKey { get; } = "mk_op_readme_" + Guid.NewGuid().ToString("N");

    public string Gateway { get; private set; } = "";

    public GrpcChannel Channel { get; private set; } = null!;

    public Metadata Operator => new() { { "authorization", "Bearer " + OperatorKey } };

    public async Task InitializeAsync()
    {
        var (siloPort, siloGatewayPort, grpcPort, clusterId) = (FreePort(), FreePort(), FreePort(), "readme-" + Guid.NewGuid().ToString("N")[..8]);
        Start("Silo", "MarginOrleans.Silo.dll", [], new()
        {
            ["Margin__Storage"] = Azurite.ConnectionString, ["Margin__TablePrefix"] = ClusterFixture.NewTablePrefix(), ["Margin__ClusterId"] = clusterId,
            ["Margin__SiloPort"] = siloPort.ToString(), ["Margin__GatewayPort"] = siloGatewayPort.ToString(), ["Margin__Metrics__Port"] = "0",
            ["Margin__OperatorApiKey"] = OperatorKey, ["Margin__PriceFeed__Enabled"] = "false",
        });
        await WaitForPort(siloGatewayPort, "silo");
        Start("Gateway", "MarginOrleans.Gateway.dll", ["--urls", $"http://127.0.0.1:{grpcPort}"], new()
        {
            ["Margin__ClusterId"] = clusterId, ["Margin__GatewayPort"] = siloGatewayPort.ToString(), ["Gateway__MetricsPort"] = "0",
        });
        await WaitForPort(grpcPort, "gateway");
        Gateway = $"http://127.0.0.1:{grpcPort}";
        Channel = GrpcChannel.ForAddress(Gateway);
        await WaitUntilSeeded();
    }

    /// <summary>
    /// The gateway's port opens before it has joined the cluster (it answers Unavailable until then),
    /// and the silo seeds its markets and the operator key in the background after it starts: the
    /// system is ready once the operator can read a seeded market's mark.
    /// </summary>
    private async Task WaitUntilSeeded()
    {
        var markets = new Api.V1.Markets.MarketsClient(Channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await markets.GetMarketAsync(new GetMarketRequest { Symbol = "BTC-USDT" }, Operator)).MarkPrice is { Length: > 0 } and not "0")
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Unauthenticated or StatusCode.NotFound && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("the silo did not seed its markets within 60 s:\n" + Logs());
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Publishes marks as the price feed would (the feed is off): the walkthrough's prices, kept fresh.</summary>
    public async Task Publish(IReadOnlyDictionary<string, string> marks)
    {
        var operations = new Api.V1.Operations.OperationsClient(Channel);
        foreach (var (symbol, mark) in marks)
        {
            await operations.PublishPriceAsync(new PublishPriceRequest { Symbol = symbol, MarkPrice = mark }, Operator);
        }
    }

    /// <summary>What the hosts printed, for a failure's message.</summary>
    public string Logs() => string.Join("\n", hosts.Select(h => { lock (h.Log) { return h.Log.ToString(); } }));

    public Task DisposeAsync()
    {
        Channel?.Dispose();
        foreach (var (process, _) in Enumerable.Reverse(hosts)) // the gateway first, then the silo
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            process.Dispose();
        }

        return Task.CompletedTask;
    }

    private void Start(string project, string dll, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(MarginProcess.Built(project, dll));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var log = new StringBuilder();
        void Append(object _, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.Append(project).Append(": ").AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        hosts.Add((process, log));
    }

    /// <summary>Waits for the host to listen; a host that exits or takes a minute fails with its log.</summary>
    private async Task WaitForPort(int port, string name)
    {
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !hosts[^1].Process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"the {name} did not listen on {port}:\n{Logs()}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
