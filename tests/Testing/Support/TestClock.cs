using Microsoft.Extensions.Time.Testing;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The markets' clock in the clusters started with <c>testClock: true</c> (funding times, mark
/// times): it moves only when a test advances it. One per test process; Orleans' own timers and
/// every other grain keep the system clock.
/// </summary>
public static class TestClock
{
    public static readonly FakeTimeProvider Instance = new(new DateTimeOffset(2026, 11, 25, 0, 0, 30, TimeSpan.Zero));

    /// <summary>Moves the clock to the next whole multiple of <paramref name="interval"/> since the epoch: a funding time.</summary>
    public static DateTimeOffset AdvanceToNext(TimeSpan interval)
    {
        var now = Instance.GetUtcNow();
        var next = DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(((now - DateTimeOffset.UnixEpoch).Ticks / interval.Ticks + 1) * interval.Ticks);
        Instance.Advance(next - now);
        return next;
    }
}
