namespace MarginOrleans;

/// <summary>
/// Named points where a test may make a grain fail, to prove that a crash there loses no
/// acknowledged command and moves no money twice. Production registers <see cref="NoFaults"/>.
/// </summary>
public interface IFaultInjector
{
    /// <summary>Called at <paramref name="point"/> by the grain keyed <paramref name="grainKey"/>.</summary>
    void At(string point, string grainKey);
}

public sealed class NoFaults : IFaultInjector
{
    public void At(string point, string grainKey)
    {
    }
}

public static class FaultPoints
{
    /// <summary>The account has durably recorded a position command but not yet sent it.</summary>
    public const string IntentRecorded = "account.intent-recorded";

    /// <summary>The position has applied a command; the account has not yet booked its wallet side.</summary>
    public const string PositionApplied = "account.position-applied";

    /// <summary>A position has written its liquidation; neither its account nor, through it, its fund has heard.</summary>
    public const string LiquidationUnreported = "position.liquidation-unreported";

    /// <summary>
    /// A fund has applied a transfer (keyed by the transfer's id); its sender has not yet recorded
    /// it done (a liquidation's: its account has not journaled it).
    /// </summary>
    public const string TransferApplied = "sender.transfer-applied";

    /// <summary>A position's state write (keyed by the position) fails before it is sent, its new trigger already published: as storage that refused it.</summary>
    public const string PositionUnwritten = "position.unwritten";

    /// <summary>A trigger woke the position, which has not looked yet (as if its silo died with the wake-up).</summary>
    public const string TriggerUnanswered = "position.trigger-unanswered";

    /// <summary>A fund's write (keyed by the fund) has stored the transfer rows beyond its state's batch; the batch itself, the state with the rest, is not sent.</summary>
    public const string FundBatchUnsent = "fund.batch-unsent";

    /// <summary>A trigger shard's batch of its rows (keyed by the shard) is not sent, as if its silo had died first.</summary>
    public const string TriggerRowsUnwritten = "trigger-shard.rows-unwritten";

    /// <summary>A trigger shard (keyed by its grain key) fails to activate, as one whose start was sent to a silo that died.</summary>
    public const string ShardUnstarted = "trigger-shard.unstarted";

    /// <summary>A fund fails a transfer's application (keyed by the transfer id) before applying it: its caller sees the failure, as of a fund that did not answer in time.</summary>
    public const string FundUnanswered = "fund.unanswered";

    /// <summary>An account (keyed by its id) fails the audit's call for its ledger, as one whose silo died during the call.</summary>
    public const string LedgerUnanswered = "account.ledger-unanswered";

    /// <summary>A fund has durably booked a move out (keyed by the move's request id); the target fund has not been paid.</summary>
    public const string MoveRecorded = "fund.move-recorded";

    /// <summary>The market directory (keyed by the symbol it is asked to list) fails to write a created market's listing, as one whose silo died during the call.</summary>
    public const string DirectoryUnanswered = "market-directory.unanswered";
}
