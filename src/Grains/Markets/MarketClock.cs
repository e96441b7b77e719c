namespace MarginOrleans.Markets;

/// <summary>
/// The clock markets read (mark times, funding times), a keyed service apart from the
/// <see cref="TimeProvider"/> Orleans itself runs timers on, so that tests can move funding
/// time without stopping the runtime.
/// </summary>
public static class MarketClock
{
    public const string Key = "market-clock";
}
