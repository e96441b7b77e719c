namespace MarginOrleans.Markets;

/// <summary>
/// Each market publishes its acknowledged marks to an Orleans stream of its own (memory streams:
/// a live view, nothing stored); gateways subscribe once per symbol and fan out to their watchers.
/// </summary>
public static class MarkStreams
{
    public const string Provider = "marks";

    /// <summary>The stream namespace; the stream's key is the symbol.</summary>
    public const string Namespace = "marks";
}

/// <summary>One acknowledged mark of a market.</summary>
[GenerateSerializer, Immutable, Alias("MarkTick")]
public sealed record MarkTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal MarkPrice,
    [property: Id(2)] decimal IndexPrice,
    [property: Id(3)] DateTimeOffset MarkTime);
