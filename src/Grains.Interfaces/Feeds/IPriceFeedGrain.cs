namespace MarginOrleans.Feeds;

/// <summary>
/// The simulated mark feed of one market, keyed by symbol: a random walk published on a grain
/// timer. It lives in the cluster, not in a silo's process: every silo keeps it running, so it
/// moves to a surviving silo when the one holding it dies.
/// </summary>
[Alias("IPriceFeedGrain")]
public interface IPriceFeedGrain : IGrainWithStringKey
{
    /// <summary>Starts the walk if it is not running (idempotent); every silo calls this periodically.</summary>
    [Alias("Ensure")]
    Task Ensure(TimeSpan interval);
}
