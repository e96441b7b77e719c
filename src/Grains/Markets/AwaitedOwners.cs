namespace MarginOrleans.Markets;

/// <summary>
/// The owners a trigger index has fired and now awaits, by slot. At most <see cref="Window"/> of
/// them are woken at once; the rest are held here in the order they fired and woken as answers
/// free room (<see cref="TakeWakeUps"/>). A woken owner answers by registering or removing its
/// entry; until it does no tick wakes it again, only its timeout does, which puts it back in line.
/// An owner that answered by keeping its entry is asked again after a timeout too, outside the
/// window. The timeout doubles per attempt, so a silent owner is asked less and less often.
/// </summary>
internal sealed class AwaitedOwners
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AnswerTimeoutMax = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Wake-ups in flight per shard. A cascade's owners wait here, not as messages in the silo's
    /// queues, where each tick's turn would wait behind all of them; 64 per shard keep a silo's
    /// cores and storage busy (a market has 4 shards by default).
    /// </summary>
    public const int Window = 64;

    /// <summary>Added to the timeout per wake-up in flight: those before it may hold the storage's queue.</summary>
    public static readonly TimeSpan AllowancePerAwaited = TimeSpan.FromMilliseconds(1);

    private readonly Dictionary<int, Wake> awaited = [];
    private readonly Queue<int> held = new();
    private int unanswered;
    private int inFlight;

    public int Count => awaited.Count;

    /// <summary>Awaited liquidation wake-ups not answered at all, held ones included: the market's liquidation backlog.</summary>
    public int Unanswered => unanswered;

    public bool Contains(int slot) => awaited.ContainsKey(slot);

    public void Clear()
    {
        awaited.Clear();
        held.Clear();
        (unanswered, inFlight) = (0, 0);
    }

    /// <summary>The woken slots whose timeout has passed; still awaited until the caller asks them again or lets them go.</summary>
    public List<int> Due(DateTimeOffset now)
    {
        var due = new List<int>();
        foreach (var (slot, wake) in awaited)
        {
            if (wake.State != WakeState.Held && wake.Due <= now)
            {
                due.Add(slot);
            }
        }

        return due;
    }

    /// <summary>How long to wait for an answer: doubling per attempt, plus an allowance per wake-up in flight.</summary>
    public TimeSpan Timeout(int attempts)
    {
        var backoff = AnswerTimeout * Math.Pow(2, Math.Min(attempts, 8));
        return (backoff < AnswerTimeoutMax ? backoff : AnswerTimeoutMax) + AllowancePerAwaited * inFlight;
    }

    /// <summary>Awaits the slot's answer from now on, replacing any wait it had: held until <see cref="TakeWakeUps"/> wakes it.
    /// <paramref name="backlog"/> counts it in <see cref="Unanswered"/>.</summary>
    public void Await(int slot, int attempts, bool backlog)
    {
        Unawait(slot, out _);
        awaited[slot] = new Wake(DateTimeOffset.MaxValue, attempts, backlog, WakeState.Held);
        held.Enqueue(slot);
        unanswered += backlog ? 1 : 0;
    }

    /// <summary>The owner answered by keeping its entry: asked again, through the window, once the timeout has passed.</summary>
    public void AwaitKept(int slot, DateTimeOffset now, int attempts)
    {
        Unawait(slot, out _);
        awaited[slot] = new Wake(now + Timeout(attempts), attempts, Backlog: false, WakeState.Kept);
    }

    /// <summary>The held slots the window has room for, oldest first; each is now woken and timed.</summary>
    public List<int> TakeWakeUps(DateTimeOffset now)
    {
        var woken = new List<int>();
        while (inFlight < Window && held.TryDequeue(out var slot))
        {
            // A slot answered or awaited again since it was queued has a newer place in line, or none.
            if (awaited.TryGetValue(slot, out var wake) && wake.State == WakeState.Held)
            {
                inFlight++;
                awaited[slot] = wake with { Due = now + Timeout(wake.Attempts), State = WakeState.Woken };
                woken.Add(slot);
            }
        }

        return woken;
    }

    public bool Unawait(int slot, out Wake last)
    {
        if (!awaited.Remove(slot, out last))
        {
            return false;
        }

        unanswered -= last.Backlog ? 1 : 0;
        inFlight -= last.State == WakeState.Woken ? 1 : 0;
        return true;
    }

    /// <summary>When to ask again (none while held); <see cref="Backlog"/>: a liquidation wake-up not answered at all.</summary>
    public readonly record struct Wake(DateTimeOffset Due, int Attempts, bool Backlog, WakeState State);

    /// <summary>Held: waits for room in the window. Woken: in flight, counted in it. Kept: answered, asked again later.</summary>
    public enum WakeState
    {
        Held,
        Woken,
        Kept,
    }
}
