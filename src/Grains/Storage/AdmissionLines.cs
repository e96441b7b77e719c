namespace MarginOrleans.Storage;

/// <summary>
/// At most <c>limit</c> requests hold a permit at once; the rest wait in two lines, each in arrival
/// order. A request that gives way counts as having arrived <see cref="GiveWayBy"/> later than it
/// did: it is let in when no request in the other line arrived before that, so it waits at most
/// that much longer than it would have, and never forever.
/// </summary>
internal sealed class AdmissionLines(int limit, TimeProvider time)
{
    /// <summary>
    /// How much later a request that gives way counts as arriving: as long as a cascade's walk
    /// crosses liquidations (with 5 s, the groups crossing later waited behind the first groups'
    /// records: docs/performance.md); short enough that a record is not held back for long.
    /// </summary>
    public static readonly TimeSpan GiveWayBy = TimeSpan.FromSeconds(15);

    private readonly Lock gate = new();
    private readonly Queue<Waiter> inLine = new();
    private readonly Queue<Waiter> givingWay = new();
    private int free = limit;

    /// <summary>Completes once the request holds a permit; to be handed back with <see cref="Leave"/>.</summary>
    public async Task Enter(bool giveWay, CancellationToken cancellation)
    {
        Waiter waiter;
        lock (gate)
        {
            if (free > 0)
            {
                free--;
                return;
            }

            waiter = new Waiter(time.GetTimestamp() + (giveWay ? (long)(GiveWayBy.TotalSeconds * time.TimestampFrequency) : 0));
            (giveWay ? givingWay : inLine).Enqueue(waiter);
        }

        // A waiter cancelled here stays queued and is skipped when its turn comes: its permit goes to the next.
        using var cancelled = cancellation.Register(() => waiter.Admitted.TrySetCanceled(cancellation));
        await waiter.Admitted.Task;
    }

    public void Leave()
    {
        lock (gate)
        {
            while (Next() is { } waiter)
            {
                if (waiter.Admitted.TrySetResult())
                {
                    return;
                }
            }

            free++;
        }
    }

    /// <summary>The waiter that counts as having arrived first, in either line.</summary>
    private Waiter? Next() =>
        inLine.TryPeek(out var first) && (!givingWay.TryPeek(out var other) || first.Arrived <= other.Arrived) ? inLine.Dequeue()
        : givingWay.TryDequeue(out var next) ? next
        : null;

    private sealed record Waiter(long Arrived)
    {
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
