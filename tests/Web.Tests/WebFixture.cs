using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using MarginOrleans.Gateway;
using MarginOrleans.Gateway.Rest;
using MarginOrleans.Operations;
using MarginOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MarginOrleans.Web.Tests;

/// <summary>
/// A test cluster, the real gateway in front of it on loopback ports (gRPC over HTTP/2 for the
/// tests' own set-up calls, the panel and REST over HTTP/1.1 for the browser) and Debian's
/// chromium driven by Playwright. The engine runs on the real clock, as a browser does.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium: Playwright's own browser download cannot reach its host here (scripts/lib.sh installs it).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private TestCluster cluster = null!;
    private WebApplication gateway = null!;
    private GrpcChannel channel = null!;
    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The panel's address: the gateway's HTTP/1.1 port.</summary>
    public string BaseUrl { get; private set; } = "";

    public string OperatorKey { get; } = ApiKeys.NewKey();

    public IGrainFactory Grains => cluster.Client;

    public Api.V1.Operations.OperationsClient Operations => new(channel);

    public Api.V1.Positions.PositionsClient Positions => new(channel);

    public static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    public static string RequestId() => Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), systemClock: true);
        await cluster.GrainFactory.GetGrain<IApiKeyGrain>(ApiKeys.Hash(OperatorKey)).Assign(new Principal(Role.Operator, ""));

        var restPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Rest:HttpPort"] = restPort.ToString(CultureInfo.InvariantCulture) });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.ListenForRest();
        builder.Services.AddSingleton<IGrainFactory>(cluster.Client);
        builder.Services.AddSingleton(cluster.Client);
        builder.Services.AddMarginGatewayServices();
        gateway = builder.Build();
        gateway.MapMarginGateway();
        await gateway.StartAsync();
        BaseUrl = $"http://127.0.0.1:{restPort}";
        channel = GrpcChannel.ForAddress(gateway.Urls.Single(u => !u.EndsWith($":{restPort}", StringComparison.Ordinal)));

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A new browser context (its own session storage) at the panel's address.</summary>
    public async Task<IPage> Page(string hash)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/" + hash);
        return page;
    }

    /// <summary>A new market on docs/margin-math.md's bracket table (tick 0.1, lot 0.001, fee 0.05%) with a first mark.</summary>
    public async Task<string> Market(string mark)
    {
        var symbol = "W" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        var spec = new Api.V1.MarketSpec { Symbol = symbol, TickSize = "0.1", LotSize = "0.001", TakerFeeRate = "0.0005" };
        spec.Brackets.AddRange(DefaultMarkets.Brackets.Select(b => new Api.V1.BracketSpec
        {
            NotionalCap = b.NotionalCap.ToString(CultureInfo.InvariantCulture),
            MaintenanceMarginRate = b.MaintenanceMarginRate.ToString(CultureInfo.InvariantCulture),
            LeverageMax = b.LeverageMax,
        }));
        await Operations.CreateMarketAsync(spec, Bearer(OperatorKey));
        await Price(symbol, mark);
        return symbol;
    }

    public Task Price(string symbol, string mark) =>
        Operations.PublishPriceAsync(new PublishPriceRequest { Symbol = symbol, MarkPrice = mark }, Bearer(OperatorKey)).ResponseAsync;

    /// <summary>A new trader with a deposit: its API key and account id.</summary>
    public async Task<(string Key, string AccountId)> Trader(string deposit)
    {
        var created = await Operations.CreateAccountAsync(new CreateAccountRequest { RequestId = RequestId() }, Bearer(OperatorKey));
        await Operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = created.AccountId, Amount = deposit }, Bearer(OperatorKey));
        return (created.ApiKey, created.AccountId);
    }

    /// <summary>Where the docs' screenshots go: docs/images of the repository the tests were built from.</summary>
    public static string Screenshot(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarginOrleans.sln")))
        {
            directory = directory.Parent;
        }

        var images = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("MarginOrleans.sln not found above " + AppContext.BaseDirectory), "docs", "images");
        Directory.CreateDirectory(images);
        return Path.Combine(images, name);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        channel.Dispose();
        await gateway.DisposeAsync();
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
