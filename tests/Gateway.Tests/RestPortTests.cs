using System.Net;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// A real gateway on loopback ports: gRPC on its HTTP/2 port, REST/JSON and the docs on the
/// HTTP/1.1 port of Gateway:Rest:HttpPort, bound to 127.0.0.1 only; browsers' cross-origin calls
/// only from the origins Gateway:Rest:CorsOrigins names.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RestPortTests(GatewayFixture gateway)
{
    [Fact]
    public async Task HttpPort_ServesRestOverHttp1OnLoopback_BesideGrpc()
    {
        var port = FreePort();
        var (app, channel) = await gateway.Gateway(new() { ["Gateway:Rest:HttpPort"] = port.ToString() }, overTcp: true);
        await using var _ = app;
        using var __ = channel;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var response = await http.GetAsync($"/v1/markets/{GatewayFixture.Symbol}");
        var overGrpc = await new Api.V1.Markets.MarketsClient(channel).GetMarketAsync(new GetMarketRequest { Symbol = GatewayFixture.Symbol });

        Assert.Equal((HttpStatusCode.OK, new Version(1, 1)), (response.StatusCode, response.Version));
        Assert.Contains($"\"markPrice\":\"{overGrpc.MarkPrice}\"", await response.Content.ReadAsStringAsync());
        Assert.Contains($"http://127.0.0.1:{port}", app.Urls);
        Assert.DoesNotContain(app.Urls, u => !u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_AnswersOnlyTheConfiguredOrigins()
    {
        var port = FreePort();
        var (app, channel) = await gateway.Gateway(new()
        {
            ["Gateway:Rest:HttpPort"] = port.ToString(),
            ["Gateway:Rest:CorsOrigins:0"] = "https://app.example.com",
        }, overTcp: true);
        await using var _ = app;
        using var __ = channel;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var allowed = await Preflight(http, "https://app.example.com");
        var other = await Preflight(http, "https://evil.example.com");

        Assert.Equal("https://app.example.com", allowed);
        Assert.Null(other);
    }

    private static async Task<string?> Preflight(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/positions:open");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await http.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
