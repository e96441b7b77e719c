namespace MarginOrleans.Storage;

/// <summary>
/// How long a request that joins a storage queue now will wait: the requests ahead of it × the
/// recent interval between the service's answers. Only intervals during which requests waited
/// count: an idle gap says nothing of the rate at which the service works off a queue. A batch
/// counts as one request here (its answer takes longer, so the interval grows with the batches).
/// </summary>
internal sealed class QueueWait(TimeProvider time)
{
    /// <summary>Each answer moves the interval a sixteenth of the way: the last few dozen weigh most.</summary>
    private const int Smoothing = 16;

    private readonly Lock gate = new();
    private TimeSpan interval;
    private long lastAnswer;
    private bool queueBehindLast;

    /// <summary>An admitted request was answered; <paramref name="waiting"/>: others still wait behind it.</summary>
    public void Answered(int waiting)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            if (queueBehindLast)
            {
                var since = time.GetElapsedTime(lastAnswer, now);
                interval = interval == TimeSpan.Zero ? since : TimeSpan.FromTicks(interval.Ticks + ((since.Ticks - interval.Ticks) / Smoothing));
            }

            (lastAnswer, queueBehindLast) = (now, waiting > 0);
        }
    }

    public TimeSpan For(int waiting)
    {
        lock (gate)
        {
            return TimeSpan.FromTicks(interval.Ticks * waiting);
        }
    }
}
