using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Net.Client;
using MarginOrleans.Operations;
using MarginOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The real gateway host's start before its cluster, and its stop with streams open.</summary>
public sealed class GatewayLifetimeTests
{
    [Fact]
    public async Task Gateway_OpensItsPortBeforeTheCluster_AnswersUnavailable_ThenFindsTheSiloInTheMembershipTable()
    {
        var (clusterId, prefix, grpcPort) = ("life-" + Guid.NewGuid().ToString("N")[..8], ClusterFixture.NewTablePrefix(), FreePort());

        // The gateway's own GatewayPort points nowhere: it can only find the silo through the table.
        await using var gatewayHost = Gateway(clusterId, grpcPort, ("Margin:Clustering", "AzureTable"), ("Margin:Storage", Azurite.ConnectionString), ("Margin:GatewayPort", FreePort().ToString()));
        Assert.Equal(TimeSpan.FromSeconds(5), gatewayHost.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
        var starting = gatewayHost.StartAsync();
        await gatewayHost.Services.GetRequiredService<Listening>().Started.WaitAsync(TimeSpan.FromSeconds(30)); // a deadline on the signal, not a poll
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var markets = new Api.V1.Markets.MarketsClient(channel);

        var early = await Assert.ThrowsAsync<RpcException>(() => markets.ListMarketsAsync(new ListMarketsRequest()).ResponseAsync);
        Assert.Equal((StatusCode.Unavailable, FailoverInterceptor.Connecting), (early.StatusCode, early.Status.Detail));

        using var siloHost = await Silo(clusterId, prefix, ApiKeys.NewKey(), new Traces(), ("Margin:Clustering", "AzureTable"));
        try
        {
            await starting.WaitAsync(TimeSpan.FromSeconds(60));
            var listed = await markets.ListMarketsAsync(new ListMarketsRequest());
            Assert.Equal(["BTC-USDT", "ETH-USDT", "SOL-USDT"], listed.Markets.Select(m => m.Symbol));
        }
        finally
        {
            await gatewayHost.StopAsync();
            await siloHost.StopAsync();
        }
    }

    [Fact]
    public async Task Stop_WithAMarkStreamOpen_EndsItUnavailable_GatewayThenSiloWithinFiveSecondsEach()
    {
        var (clusterId, prefix, gatewayPort, grpcPort) = ("life-" + Guid.NewGuid().ToString("N")[..8], ClusterFixture.NewTablePrefix(), FreePort(), FreePort());
        var siloLog = new Traces();
        using var siloHost = await Silo(clusterId, prefix, ApiKeys.NewKey(), siloLog,
            ("Margin:GatewayPort", gatewayPort.ToString()), ("Margin:PriceFeed:Enabled", "true"), ("Margin:PriceFeed:IntervalMilliseconds", "50"));
        await using var gatewayHost = Gateway(clusterId, grpcPort, ("Margin:GatewayPort", gatewayPort.ToString()));
        await gatewayHost.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        using var stream = new Api.V1.Markets.MarketsClient(channel).StreamMarks(new StreamMarksRequest());
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None)); // open, and sending: the seeded first mark

        var clock = Stopwatch.StartNew();
        var stopping = gatewayHost.StopAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        await stopping;
        clock.Stop();

        Assert.Equal((StatusCode.Unavailable, GatewayStopping.Message), (ended.StatusCode, ended.Status.Detail));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the gateway took {clock.Elapsed} to stop");

        // The feed keeps publishing marks, delivered to nobody now: the gateway unsubscribed on its way
        // out (its subscription left behind held the silo's stop for the 30 s response timeout).
        clock.Restart();
        siloLog.Clear();
        await siloHost.StopAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the silo took {clock.Elapsed} to stop");
        // An expected stop logs no failure with a stack trace. Orleans' placement retries a lookup that
        // races the stop through Polly, which logs each attempt as a warning: a retry, not a failure.
        Assert.DoesNotContain(siloLog.Lines, l => !l.StartsWith("Polly: ", StringComparison.Ordinal));
    }

    private static async Task<IHost> Silo(string clusterId, string prefix, string operatorKey, Traces log, params (string Key, string Value)[] settings)
    {
        var silo = Host.CreateApplicationBuilder();
        silo.Logging.AddProvider(log);
        silo.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Margin:Storage"] = Azurite.ConnectionString,
            ["Margin:TablePrefix"] = prefix,
            ["Margin:ClusterId"] = clusterId,
            ["Margin:SiloPort"] = FreePort().ToString(),
            ["Margin:GatewayPort"] = FreePort().ToString(),
            ["Margin:OperatorApiKey"] = operatorKey,
            ["Margin:PriceFeed:Enabled"] = "false",
        });
        silo.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        silo.AddMarginSilo();
        var host = silo.Build();
        await host.StartAsync();
        await host.Services.GetServices<IHostedService>().OfType<Seeding>().Single().Seeded;
        return host;
    }

    private static WebApplication Gateway(string clusterId, int grpcPort, params (string Key, string Value)[] settings)
    {
        var gateway = WebApplication.CreateBuilder();
        gateway.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Margin:ClusterId"] = clusterId });
        gateway.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        gateway.WebHost.UseUrls($"http://127.0.0.1:{grpcPort}");
        gateway.Services.AddSingleton<Listening>();
        gateway.Logging.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<Listening>());
        gateway.Logging.AddFilter<Listening>("Microsoft.Hosting.Lifetime", LogLevel.Information);
        gateway.AddMarginGateway();
        var app = gateway.Build();
        app.MapMarginGateway();
        return app;
    }

    /// <summary>The gateway's "Now listening on" line: Kestrel has opened its port (before the host's start completes).</summary>
    private sealed class Listening : ILoggerProvider
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => started.Task;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName == "Microsoft.Hosting.Lifetime" ? started : null);

        public void Dispose()
        {
        }

        private sealed class Logger(TaskCompletionSource? started) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => started is not null && logLevel == LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (started is not null && formatter(state, exception).StartsWith("Now listening on:", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        }
    }

    /// <summary>Every warning or error logged with an exception: what prints a stack trace in the silo's log.</summary>
    private sealed class Traces : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public void Clear() => lines.Clear();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning && exception is not null)
                {
                    lines.Enqueue($"{category}: {formatter(state, exception)} ({exception.GetType().Name})");
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
