using Orleans.Runtime;

namespace MarginOrleans.Baselines;

/// <summary>The stream a run's ticks travel on when every position subscribes (memory streams: no storage in the way).</summary>
public static class BaselineStreams
{
    public const string Provider = "baseline";

    public static StreamId Of(string run) => StreamId.Create("baseline-ticks", run);

    /// <summary>The run a position key <c>{run}/{n}</c> belongs to.</summary>
    public static string RunOf(string positionKey) => positionKey[..positionKey.LastIndexOf('/')];
}
