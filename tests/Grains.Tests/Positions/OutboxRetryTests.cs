using MarginOrleans.Positions;
using Microsoft.Extensions.Time.Testing;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// A position tries its undelivered outbox again 10 s after the last try plus the silo's storage
/// queue as it stands at each check: its account answers only once its batch is through that queue.
/// </summary>
public sealed class OutboxRetryTests
{
    [Fact]
    public void WithNoQueue_ARetryIsDueTenSecondsAfterTheLastTry()
    {
        var clock = new FakeTimeProvider();
        var retry = new OutboxRetry(clock, () => TimeSpan.Zero);

        retry.Tried();
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(retry.Due);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(retry.Due);

        retry.Tried();
        Assert.False(retry.Due);
    }

    [Fact]
    public void BehindAStorageQueue_ARetryWaitsForTheQueueAsItStandsAtTheCheck()
    {
        var clock = new FakeTimeProvider();
        var queue = TimeSpan.FromSeconds(5);
        var retry = new OutboxRetry(clock, () => queue);

        retry.Tried();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(retry.Due);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(retry.Due);

        // The queue grew meanwhile: the same try is not due any more.
        queue = TimeSpan.FromSeconds(20);
        Assert.False(retry.Due);
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(retry.Due);
    }
}
