using System.Diagnostics.Metrics;

namespace MarginOrleans.Gateway;

/// <summary>The gateway's meter: what callers were refused, and why.</summary>
public static class GatewayMetrics
{
    public const string MeterName = "MarginOrleans.Gateway";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("margin.commands.rejected", description: "commands refused by the engine, by reason");
    public static readonly Histogram<long> OpensHeld = Meter.CreateHistogram<long>("margin.opens.held", "ms", "how long opens waited for a market's liquidation backlog");
    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>("margin.calls.rate_limited", description: "calls refused by the per-key rate limit");
}
