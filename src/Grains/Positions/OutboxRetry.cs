namespace MarginOrleans.Positions;

/// <summary>
/// When a position tries its undelivered outbox again: <see cref="After"/> since the last try, plus
/// the silo's storage queue as it stands at the check. The account answers a liquidation's report
/// once its journal batch is written, behind the requests queued before it: in a cascade, another
/// try before then only re-sends the report and writes a wake-up row for nothing.
/// </summary>
internal sealed class OutboxRetry(TimeProvider time, Func<TimeSpan> storageWait)
{
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    private long triedAt = time.GetTimestamp();

    public void Tried() => triedAt = time.GetTimestamp();

    public bool Due => time.GetElapsedTime(triedAt) >= After + storageWait();
}
