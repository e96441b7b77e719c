namespace MarginOrleans.Gateway.Rest;

/// <summary>The "Gateway:Rest" settings: the HTTP/1.1 port and which browser origins may call it.</summary>
public sealed class RestOptions
{
    /// <summary>
    /// A second loopback port speaking HTTP/1.1 (REST/JSON, gRPC-Web, the docs page); 0: none. The
    /// gRPC port speaks HTTP/2 only: over cleartext Kestrel cannot tell the two apart on one port
    /// (it picks HTTP/1.1 for both), and browsers and plain curl speak HTTP/1.1.
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>Origins a browser may call from (CORS); empty: none, the default.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
