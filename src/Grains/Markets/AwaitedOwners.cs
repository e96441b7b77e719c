namespace MarginOrleans.Markets;

/// <summary>
/// The owners a trigger index has woken and now awaits, by slot, each with when to ask again.
/// A woken owner answers by registering or removing its entry; until it does no tick wakes it
/// again, only its timeout does. The timeout doubles per unanswered wake-up and grows with the
/// number of owners still to answer, so a backlog is worked off instead of multiplied; and it is
/// never shorter than twice the slowest answer of the last minute (up to <see cref="AnswerTimeoutMax"/>):
/// behind a storage queue an owner answers only once its write is done, and one that answered
/// (a liquidated position keeping its entry until its account has journaled the report) waits on
/// the same queue — asking either again before that only adds work. An answer counts for a minute.
/// </summary>
internal sealed class AwaitedOwners
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AnswerTimeoutMax = TimeSpan.FromSeconds(60);

    /// <summary>Added to the timeout per owner still to answer: a queue of 10,000 waits 10 s longer, and no queue longer.</summary>
    public static readonly TimeSpan AllowancePerAwaited = TimeSpan.FromMilliseconds(1);

    private const int AllowanceCap = 10_000;

    private readonly Dictionary<int, Wake> awaited = [];
    private int unanswered;

    // The slowest answer of the last minute: taken over by a slower one, or by any once a minute old.
    private TimeSpan slowest;
    private DateTimeOffset slowestAt;

    public int Count => awaited.Count;

    /// <summary>Awaited liquidation wake-ups not answered at all: the market's liquidation backlog.</summary>
    public int Unanswered => unanswered;

    public bool Contains(int slot) => awaited.ContainsKey(slot);

    public void Clear()
    {
        awaited.Clear();
        unanswered = 0;
    }

    /// <summary>The slots whose timeout has passed; still awaited until the caller asks them again or lets them go.</summary>
    public List<int> Due(DateTimeOffset now)
    {
        var due = new List<int>();
        var patience = SlowestAnswer(now) * 2;
        patience = patience < AnswerTimeoutMax ? patience : AnswerTimeoutMax;
        foreach (var (slot, wake) in awaited)
        {
            if (wake.Due <= now && now - wake.Since >= patience)
            {
                due.Add(slot);
            }
        }

        return due;
    }

    /// <summary>How long to wait for an answer: doubling per attempt, plus an allowance per owner already awaited.</summary>
    public TimeSpan Timeout(int attempts)
    {
        var backoff = AnswerTimeout * Math.Pow(2, Math.Min(attempts, 8));
        return (backoff < AnswerTimeoutMax ? backoff : AnswerTimeoutMax) + AllowancePerAwaited * Math.Min(awaited.Count, AllowanceCap);
    }

    /// <summary>
    /// Awaits the slot's answer from now on, replacing any wait it had; <paramref name="backlog"/> counts it in
    /// <see cref="Unanswered"/>; <paramref name="answered"/>: the owner answered now and is only to be asked again.
    /// </summary>
    public void Await(int slot, DateTimeOffset now, int attempts, bool backlog, bool answered)
    {
        Unawait(slot, out _);
        awaited[slot] = new Wake(now + Timeout(attempts), attempts, backlog, now, answered);
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

    /// <summary>
    /// An awaited owner answered now: how long it took since it was woken counts toward the patience with
    /// the others — and, when it <paramref name="removed"/> an entry it had kept, how long it kept it
    /// (a liquidated position's report waiting for its account's journal write).
    /// </summary>
    public void Answered(Wake last, DateTimeOffset now, bool removed)
    {
        if (last.Answered && !removed)
        {
            return;
        }

        var took = now - last.Since;
        if (took > SlowestAnswer(now))
        {
            (slowest, slowestAt) = (took, now);
        }
    }

    private TimeSpan SlowestAnswer(DateTimeOffset now) => now - slowestAt < AnswerTimeoutMax ? slowest : TimeSpan.Zero;

    /// <summary>
    /// When to ask again; <see cref="Backlog"/>: a liquidation wake-up not answered at all; <see cref="Since"/>:
    /// when it was woken, or when it <see cref="Answered"/> and is only to be asked again.
    /// </summary>
    public readonly record struct Wake(DateTimeOffset Due, int Attempts, bool Backlog, DateTimeOffset Since, bool Answered);
}
