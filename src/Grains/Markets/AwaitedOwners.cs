namespace MarginOrleans.Markets;

/// <summary>
/// The owners a trigger index has woken and now awaits, by slot, each with when to ask again.
/// A woken owner answers by registering or removing its entry; until it does no tick wakes it
/// again, only its timeout does. The timeout doubles per unanswered wake-up and grows with the
/// number of owners still to answer, so a backlog is worked off instead of multiplied, and with the
/// silo's storage queue, which an owner's answering write waits in first. That queue is read at the
/// wake-up and again whenever the timeout is checked: an owner's write joins it after the wake-up,
/// behind whatever arrived meanwhile, and a queue still standing is one its write may still be in.
/// </summary>
internal sealed class AwaitedOwners(Func<TimeSpan> storageWait)
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AnswerTimeoutMax = TimeSpan.FromSeconds(60);

    /// <summary>Added to the timeout per owner still to answer: a queue of 10,000 waits 10 s longer, and no queue longer.</summary>
    public static readonly TimeSpan AllowancePerAwaited = TimeSpan.FromMilliseconds(1);

    /// <summary>The first attempt whose backoff reaches <see cref="AnswerTimeoutMax"/>: the longest wait.</summary>
    public const int AttemptsAtLongestWait = 4;

    private const int AllowanceCap = 10_000;

    /// <summary>The most a storage queue adds: as long as a caller waits for a durable answer.</summary>
    private static readonly TimeSpan StorageWaitMax = TimeSpan.FromMinutes(2);

    private readonly Dictionary<int, Wake> awaited = [];
    private int unanswered;

    public int Count => awaited.Count;

    /// <summary>Awaited liquidation wake-ups not answered at all: the market's liquidation backlog.</summary>
    public int Unanswered => unanswered;

    public bool Contains(int slot) => awaited.ContainsKey(slot);

    public void Clear()
    {
        awaited.Clear();
        unanswered = 0;
    }

    /// <summary>
    /// The slots whose timeout has passed, plus the longer of the storage queue's wait at the wake-up and
    /// now; still awaited until the caller asks them again or lets them go.
    /// </summary>
    public List<int> Due(DateTimeOffset now)
    {
        var queue = StorageWait();
        var due = new List<int>();
        foreach (var (slot, wake) in awaited)
        {
            if (wake.TimedOut + (wake.StorageWait > queue ? wake.StorageWait : queue) <= now)
            {
                due.Add(slot);
            }
        }

        return due;
    }

    /// <summary>How long to wait for an answer before the storage queue's wait: doubling per attempt, plus an allowance per owner already awaited.</summary>
    public TimeSpan Timeout(int attempts)
    {
        var backoff = AnswerTimeout * Math.Pow(2, Math.Min(attempts, 8));
        return (backoff < AnswerTimeoutMax ? backoff : AnswerTimeoutMax) + AllowancePerAwaited * Math.Min(awaited.Count, AllowanceCap);
    }

    /// <summary>Awaits the slot's answer from now on, replacing any wait it had; <paramref name="backlog"/> counts it in <see cref="Unanswered"/>.</summary>
    public void Await(int slot, DateTimeOffset now, int attempts, bool backlog)
    {
        Unawait(slot, out _);
        awaited[slot] = new Wake(now + Timeout(attempts), StorageWait(), attempts, backlog);
        unanswered += backlog ? 1 : 0;
    }

    public bool Unawait(int slot, out Wake last)
    {
        if (!awaited.Remove(slot, out last))
        {
            return false;
        }

        unanswered -= last.Backlog ? 1 : 0;
        return true;
    }

    private TimeSpan StorageWait() => storageWait() is var wait && wait < StorageWaitMax ? wait : StorageWaitMax;

    /// <summary>
    /// When the answer is late before the storage queue's wait (<see cref="TimedOut"/>), and that wait at
    /// the wake-up; <see cref="Backlog"/>: a liquidation wake-up not answered at all.
    /// </summary>
    public readonly record struct Wake(DateTimeOffset TimedOut, TimeSpan StorageWait, int Attempts, bool Backlog);
}
