using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;
using MarginOrleans.Silo;
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

    /// <summary>Lines a test waits for, each completed by the first host line that contains it (or failed when a host exits).</summary>
    private readonly List<(string Text, TaskCompletionSource Seen)> awaited = [];

    public string OperatorKey { get; } = "mk_op_readme_" + Guid.NewGuid().ToString("N");

    public string Gateway { get; private set; } = "";

    public GrpcChannel Channel { get; private set; } = null!;

    public Metadata Operator => new() { { "authorization", "Bearer " + OperatorKey } };

    public async Task InitializeAsync()
    {
        var (siloPort, siloGatewayPort, grpcPort, clusterId) = (FreePort(), FreePort(), FreePort(), "readme-" + Guid.NewGuid().ToString("N")[..8]);
        // Ready signals, asked for before the hosts start so no line is missed: the gateway's join and
        // every default market's first mark (the operator key is assigned before the markets are seeded).
        List<Task> ready = [Printed("The gateway joined the silo cluster"), // the gateway's ClusterConnection.Joined
            .. DefaultMarkets.All.Select(m => Printed($"Seeded market {m.Spec.Symbol} at"))];
        Start("Silo", "MarginOrleans.Silo.dll", [], new()
        {
            ["Margin__Storage"] = Azurite.ConnectionString, ["Margin__TablePrefix"] = ClusterFixture.NewTablePrefix(), ["Margin__ClusterId"] = clusterId,
            ["Margin__SiloPort"] = siloPort.ToString(), ["Margin__GatewayPort"] = siloGatewayPort.ToString(), ["Margin__Metrics__Port"] = "0",
            ["Margin__OperatorApiKey"] = OperatorKey, ["Margin__PriceFeed__Enabled"] = "false",
        });
        Start("Gateway", "MarginOrleans.Gateway.dll", ["--urls", $"http://127.0.0.1:{grpcPort}"], new()
        {
            ["Margin__ClusterId"] = clusterId, ["Margin__GatewayPort"] = siloGatewayPort.ToString(), ["Gateway__MetricsPort"] = "0",
        });
        try
        {
            await Task.WhenAll(ready).WaitAsync(TimeSpan.FromSeconds(60)); // a deadline on the signals, not a poll
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the system did not become ready ({e.Message}):\n{Logs()}", e);
        }

        Gateway = $"http://127.0.0.1:{grpcPort}";
        Channel = GrpcChannel.ForAddress(Gateway);
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
            process.EnableRaisingEvents = false;
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

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => Exited(project);
        var log = new StringBuilder();
        void Append(object _, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.Append(project).Append(": ").AppendLine(e.Data);
            }

            Heard(e.Data);
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        hosts.Add((process, log));
    }

    /// <summary>Completes when a host prints a line containing <paramref name="text"/>; fails if a host exits first.</summary>
    private Task Printed(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (awaited)
        {
            awaited.Add((text, seen));
        }

        return seen.Task;
    }

    private void Heard(string? line)
    {
        lock (awaited)
        {
            foreach (var waiter in awaited.Where(w => line?.Contains(w.Text, StringComparison.Ordinal) == true).ToList())
            {
                waiter.Seen.TrySetResult();
                awaited.Remove(waiter);
            }
        }
    }

    private void Exited(string project)
    {
        lock (awaited)
        {
            awaited.ForEach(w => w.Seen.TrySetException(new InvalidOperationException($"the {project} exited before printing \"{w.Text}\"")));
            awaited.Clear();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
