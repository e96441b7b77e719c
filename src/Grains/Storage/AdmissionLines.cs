namespace MarginOrleans.Storage;

/// <summary>
/// At most <c>limit</c> rows are at the service at once, each request holding a permit per row it
/// writes (a batch its rows, capped at the limit; anything else one); the rest wait in two lines,
/// each in arrival order, and a request is let in only once every request ahead of it is. A request
/// that gives way counts as having arrived <see cref="GiveWayBy"/> later than it did: it is let in
/// when no request in the other line arrived before that, so it waits at most that much longer than
/// it would have, and never forever.
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
    private readonly int limit = limit;
    private int free = limit;

    /// <summary>The permits a request of <paramref name="rows"/> rows holds.</summary>
    public int Permits(int rows) => Math.Clamp(rows, 1, limit);

    /// <summary>Completes once the request holds its <paramref name="permits"/>; to be handed back with <see cref="Leave"/>.</summary>
    public async Task Enter(int permits, bool giveWay, CancellationToken cancellation)
    {
        Waiter waiter;
        lock (gate)
        {
            LetIn();
            if (inLine.Count == 0 && givingWay.Count == 0 && free >= permits)
            {
                free -= permits;
                return;
            }

            waiter = new Waiter(time.GetTimestamp() + (giveWay ? (long)(GiveWayBy.TotalSeconds * time.TimestampFrequency) : 0), permits);
            (giveWay ? givingWay : inLine).Enqueue(waiter);
            LetIn(); // it may rank ahead of a request that gives way and waits for room it does not need
        }

        // A waiter cancelled here stays queued and is skipped when its turn comes; the smaller requests
        // behind a cancelled batch may fit now.
        using var cancelled = cancellation.Register(() =>
        {
            if (waiter.Admitted.TrySetCanceled(cancellation))
            {
                lock (gate)
                {
                    LetIn();
                }
            }
        });
        await waiter.Admitted.Task;
    }

    public void Leave(int permits)
    {
        lock (gate)
        {
            free += permits;
            LetIn();
        }
    }

    /// <summary>Lets in the waiters at the head, in order, while their permits are free; skips the cancelled.</summary>
    private void LetIn()
    {
        while (Next() is { } waiter)
        {
            if (!waiter.Admitted.Task.IsCompleted && waiter.Permits > free)
            {
                return; // a batch waits for its rows' room; the requests behind it wait with it, in order
            }

            Line(waiter).Dequeue();
            if (waiter.Admitted.TrySetResult()) // false: cancelled while it waited
            {
                free -= waiter.Permits;
            }
        }
    }

    /// <summary>The waiter that counts as having arrived first, in either line.</summary>
    private Waiter? Next() =>
        inLine.TryPeek(out var first) && (!givingWay.TryPeek(out var other) || first.Arrived <= other.Arrived) ? first
        : givingWay.TryPeek(out var next) ? next
        : null;

    private Queue<Waiter> Line(Waiter waiter) => inLine.TryPeek(out var first) && ReferenceEquals(first, waiter) ? inLine : givingWay;

    private sealed record Waiter(long Arrived, int Permits)
    {
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
