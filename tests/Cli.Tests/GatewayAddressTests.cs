using System.Net;
using System.Net.Sockets;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>--gateway takes what run.sh prints and what grpcurl takes; anything else is one line, never a stack trace.</summary>
public sealed class GatewayAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:5080", "http://127.0.0.1:5080/")]      // host:port means h2c, as run.sh serves it
    [InlineData("localhost:5081", "http://localhost:5081/")]       // not read as a "localhost:" scheme
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData(" https://margin.example:443 ", "https://margin.example/")]
    [InlineData("[::1]:5080", "http://[::1]:5080/")]
    public void Parse_AcceptsAUrlOrHostAndPort(string given, string dialed)
    {
        Assert.Equal(dialed, GatewayAddress.Parse(given, out var problem)?.ToString());
        Assert.Equal("", problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:99999")]       // no such port
    [InlineData("ftp://127.0.0.1:5080")]  // gRPC speaks HTTP
    [InlineData("http://")]
    [InlineData("127.0.0.1:5080?x=1")]
    public void Parse_RefusesWhatIsNotAnAddress_InOneLine(string given)
    {
        Assert.Null(GatewayAddress.Parse(given, out var problem));
        Assert.Equal($"'{given}' is not a gateway address: give host:port or http(s)://host:port, e.g. 127.0.0.1:5080 (--gateway or MARGIN_GATEWAY)", problem);
    }

    [Fact]
    public async Task Margin_WithABadAddress_PrintsOneLineOnStandardError_AndExits2()
    {
        var result = await MarginProcess.Run(["--gateway", "ftp://127.0.0.1:5080", "markets"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Equal(["InvalidArgument: 'ftp://127.0.0.1:5080' is not a gateway address: give host:port or http(s)://host:port, e.g. 127.0.0.1:5080 (--gateway or MARGIN_GATEWAY)"], result.ErrorLines);
    }

    /// <summary>host:port is dialed over http://: with nothing listening the answer is the one-line Unavailable, not a UriFormatException.</summary>
    [Fact]
    public async Task Margin_WithHostAndPort_DialsIt_OneLineWhenNothingAnswers()
    {
        var address = $"127.0.0.1:{ClosedPort()}";
        var result = await MarginProcess.Run(["--gateway", address, "markets"], new Dictionary<string, string> { ["MARGIN_API_KEY"] = "mk_nobody" });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([$"Unavailable: no gateway answers at {address} (set --gateway or MARGIN_GATEWAY)"], result.ErrorLines);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }
}
