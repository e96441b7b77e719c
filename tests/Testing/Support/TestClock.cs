using Microsoft.Extensions.Time.Testing;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The engine's clock in a test cluster: every time the engine reads and every grain timer it runs
/// (funding times, mark staleness, answer timeouts, the outbox and fund retries). It moves only
/// when a test advances it, so a real funding time passing mid-test changes nothing. One per table
/// prefix: a cluster restarted over the same tables carries on from the time it stopped at, and
/// clusters of parallel test collections never move each other's time.
/// </summary>
public static class TestClock
{
    /// <summary>Where every test clock starts: just after a funding time, far from the next one.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 0, 30, TimeSpan.Zero);

    private static readonly PerCluster<FakeTimeProvider> Clocks = new(() => new FakeTimeProvider(Start));

    /// <summary>The clock of the cluster whose client is <paramref name="grains"/>.</summary>
    public static FakeTimeProvider Of(IGrainFactory grains) => Clocks.Of(grains);

    /// <summary>Lets tests that hold only a cluster's client find its clock.</summary>
    public static void Watch(IGrainFactory grains, string tablePrefix) => Clocks.Watch(grains, tablePrefix);

    /// <summary>The clock of the clusters over <paramref name="tablePrefix"/>'s tables.</summary>
    public static FakeTimeProvider For(string tablePrefix) => Clocks.For(tablePrefix);

    /// <summary>Moves the clock to the next whole multiple of <paramref name="interval"/> since the epoch: a funding time.</summary>
    public static DateTimeOffset AdvanceToNext(this FakeTimeProvider clock, TimeSpan interval)
    {
        var now = clock.GetUtcNow();
        var next = DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(((now - DateTimeOffset.UnixEpoch).Ticks / interval.Ticks + 1) * interval.Ticks);
        clock.Advance(next - now);
        return next;
    }
}
