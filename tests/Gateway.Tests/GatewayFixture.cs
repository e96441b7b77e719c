using Grpc.Net.Client;
using MarginOrleans.Gateway.Rest;
using MarginOrleans.Operations;
using MarginOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// The real gateway (its gRPC services, auth and error mapping) on an in-memory HTTP server, in
/// front of a test cluster whose state lives in Azurite; with the operator's key and a seeded market.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string Symbol = "BTC-USDT";

    private TestCluster cluster = null!;
    private WebApplication app = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>
    /// On the real clock: the gateway waits in real time (an open held up to 10 s, a watcher's marks
    /// told apart by their time) for what the engine does on its clock (a silent owner asked again
    /// after 5 s), so here both run on real time. The tests still wait on the engine's signals.
    /// </summary>
    protected virtual bool SystemClock => true;

    /// <summary>The cluster behind the gateway, for looking at grains a test must not have created.</summary>
    public IGrainFactory Grains => cluster.Client;
    public string OperatorKey { get; } = ApiKeys.NewKey();

    public Api.V1.Markets.MarketsClient Markets => new(Channel);
    public Api.V1.Accounts.AccountsClient Accounts => new(Channel);
    public Api.V1.Positions.PositionsClient Positions => new(Channel);
    public Api.V1.Operations.OperationsClient Operations => new(Channel);

    /// <summary>A plain HTTP client of the same gateway: REST/JSON, the OpenAPI document, the docs page.</summary>
    public HttpClient Http() => app.GetTestServer().CreateClient();

    /// <summary>The gateway's in-memory server, for clients that need its handler (gRPC-Web).</summary>
    public TestServer Server => app.GetTestServer();

    public static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    public static string RequestId() => Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        cluster = await ClusterFixture.Start(ClusterFixture.NewTablePrefix(), systemClock: SystemClock);
        await cluster.GrainFactory.GetGrain<IApiKeyGrain>(ApiKeys.Hash(OperatorKey)).Assign(new Principal(Role.Operator, ""));

        (app, Channel) = await Gateway([]);

        await Market(Symbol, "20000");
    }

    /// <summary>
    /// Creates a market on the example bracket table of docs/margin-math.md (tick 0.1, lot 0.001, fee 0.05%) with a first mark;
    /// funding every <paramref name="fundingIntervalSeconds"/> (0: the default).
    /// </summary>
    public async Task Market(string symbol, string mark, int fundingIntervalSeconds = 0)
    {
        var spec = new Api.V1.MarketSpec { Symbol = symbol, TickSize = "0.1", LotSize = "0.001", TakerFeeRate = "0.0005", FundingIntervalSeconds = fundingIntervalSeconds };
        spec.Brackets.AddRange(DefaultMarkets.Brackets.Select(b => new Api.V1.BracketSpec
        {
            NotionalCap = b.NotionalCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MaintenanceMarginRate = b.MaintenanceMarginRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            LeverageMax = b.LeverageMax,
        }));
        await Operations.CreateMarketAsync(spec, Bearer(OperatorKey));
        await Price(mark, symbol);
    }

    /// <summary>
    /// Another gateway in front of the same cluster, with <paramref name="settings"/> as configuration;
    /// in memory, or over HTTP/2 on a loopback port (<paramref name="overTcp"/>) when the test is about
    /// bytes the in-memory server would rewrite: it re-parses and re-formats well-known headers.
    /// </summary>
    public async Task<(WebApplication App, GrpcChannel Channel)> Gateway(Dictionary<string, string?> settings, bool overTcp = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        if (overTcp)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.ListenForRest(); // HTTP/2 only, as the gateway; and Gateway:Rest:HttpPort's HTTP/1.1 when set
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddSingleton<IGrainFactory>(cluster.Client);
        builder.Services.AddSingleton(cluster.Client);
        builder.Services.AddMarginGatewayServices();
        var gateway = builder.Build();
        gateway.MapMarginGateway();
        await gateway.StartAsync();
        if (overTcp)
        {
            var restPort = settings.TryGetValue("Gateway:Rest:HttpPort", out var port) ? $":{port}" : null;
            return (gateway, GrpcChannel.ForAddress(gateway.Urls.Single(u => restPort is null || !u.EndsWith(restPort, StringComparison.Ordinal))));
        }

        var server = gateway.GetTestServer();
        return (gateway, GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() }));
    }

    public Task Price(string mark, string symbol = Symbol) =>
        Operations.PublishPriceAsync(new PublishPriceRequest { Symbol = symbol, MarkPrice = mark }, Bearer(OperatorKey)).ResponseAsync;

    /// <summary>A new trader with a deposit; returns the trader's API key and account id.</summary>
    public async Task<(string Key, string AccountId)> Trader(string deposit)
    {
        var created = await Operations.CreateAccountAsync(new CreateAccountRequest { RequestId = RequestId() }, Bearer(OperatorKey));
        await Operations.DepositAsync(new DepositRequest { RequestId = RequestId(), AccountId = created.AccountId, Amount = deposit }, Bearer(OperatorKey));
        return (created.ApiKey, created.AccountId);
    }

    public async Task<AuditReply> AssertBalanced()
    {
        var audit = await Operations.AuditAsync(new AuditRequest(), Bearer(OperatorKey));
        Assert.True(audit.Balanced, $"discrepancy {audit.Discrepancy}");
        Assert.Equal("0", audit.InFlight);
        return audit;
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await app.DisposeAsync();
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>
/// The gateway in front of a cluster on the engine clock the test advances (<see cref="TestClock"/>),
/// for tests whose subject is the engine's time (funding): only their happy path, which never waits
/// on the gateway's own real-time bounds.
/// </summary>
public sealed class EngineClockGateway : GatewayFixture
{
    protected override bool SystemClock => false;
}

[CollectionDefinition(Name)]
public sealed class EngineClockGatewayCollection : ICollectionFixture<EngineClockGateway>
{
    public const string Name = "gateway on the engine clock";
}
