using System.Net.Sockets;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>Who sends an HTTP request, in the forms <see cref="Callers"/> takes from a gRPC call.</summary>
public static class HttpCaller
{
    /// <summary>The <c>Authorization</c> header, or null when there is none (<see cref="ApiKeyHeader"/> says what is wrong with it).</summary>
    public static string? Authorization(HttpContext http) =>
        http.Request.Headers.Authorization is { Count: > 0 } header ? header.ToString() : null;

    /// <summary>The peer as gRPC names it ("ipv4:10.0.0.7:50123"), then as <see cref="Callers.PeerOf"/> buckets it.</summary>
    public static string Peer(HttpContext http)
    {
        var connection = http.Connection;
        var peer = connection.RemoteIpAddress switch
        {
            null => "unknown",
            { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
            var ip => $"ipv4:{ip}:{connection.RemotePort}",
        };
        return Callers.PeerOf(peer);
    }
}
