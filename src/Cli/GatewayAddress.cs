namespace MarginOrleans.Cli;

/// <summary>
/// The gateway address as a user types it: a full URL, or host:port as run.sh prints it beside
/// other tools (grpcurl takes host:port), which means http:// — the gateway speaks h2c on loopback.
/// </summary>
public static class GatewayAddress
{
    /// <summary>The address to dial, or null and the reason in one line.</summary>
    public static Uri? Parse(string given, out string problem)
    {
        problem = "";
        var text = given.Trim();
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (text.Length == 0
            || !Uri.TryCreate(withScheme, UriKind.Absolute, out var address)
            || address.Scheme is not ("http" or "https")
            || address.Host.Length == 0
            || address.Query.Length > 0
            || address.Fragment.Length > 0)
        {
            problem = $"'{given}' is not a gateway address: give host:port or http(s)://host:port, e.g. 127.0.0.1:5080 (--gateway or MARGIN_GATEWAY)";
            return null;
        }

        return address;
    }
}
