using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The OpenAPI document made from the protos, its page served by the gateway itself, and gRPC-Web beside gRPC.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class RestDocsTests(GatewayFixture gateway)
{
    [Fact]
    public async Task OpenApiDocument_HasARouteForEveryRpc()
    {
        using var http = gateway.Http();
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        // The document names a path parameter by its JSON name ({accountId} for {account_id}).
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(verb => $"{verb.Name.ToUpperInvariant()} {Unnamed(p.Name)}")).ToHashSet();
        var missing = RestRoutes.All().Where(r => !documented.Contains(Unnamed(r.Route))).Select(r => $"{r.Method.FullName}: {r.Route}").ToList();

        Assert.Equal((40, 41), (RestRoutes.Services.Sum(s => s.Methods.Count), RestRoutes.All().Count()));
        Assert.True(missing.Count == 0, string.Join("\n", missing) + "\npaths: " + string.Join(", ", paths.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task DocsPage_LoadsItsAssetsFromTheGateway()
    {
        using var http = gateway.Http();
        var page = await http.GetStringAsync("/docs/index.html");
        var assets = AssetPattern().Matches(page).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(assets);
        Assert.All(assets, a => Assert.DoesNotContain("//", a));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync("/docs/" + asset.TrimStart('.', '/'));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }

        Assert.Contains("/openapi/v1.json", await http.GetStringAsync("/docs/index.js"));
    }

    [Fact]
    public async Task GrpcWeb_GetsTheSameMarketAsGrpc()
    {
        using var channel = GrpcChannel.ForAddress(gateway.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, gateway.Server.CreateHandler()),
        });

        var overWeb = await new Api.V1.Markets.MarketsClient(channel).GetMarketAsync(new GetMarketRequest { Symbol = GatewayFixture.Symbol });
        var overGrpc = await gateway.Markets.GetMarketAsync(new GetMarketRequest { Symbol = GatewayFixture.Symbol });

        Assert.Equal(("BTC-USDT", "0.001"), (overWeb.Symbol, overWeb.LotSize));
        Assert.Equal(overGrpc.MarkPrice, overWeb.MarkPrice);
    }

    private static string Unnamed(string route) => ParameterPattern().Replace(route, "{}");

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex ParameterPattern();

    /// <summary>The src and href of the page's scripts and stylesheets.</summary>
    [GeneratedRegex("""(?:src|href)="([^"]+\.(?:js|css))""")]
    private static partial Regex AssetPattern();
}
