using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

[GenerateSerializer, Alias("IsolatedPositionState")]
public sealed class IsolatedPositionState
{
    [Id(0)] public PositionSide Side { get; set; } = PositionSide.Long;
    [Id(1)] public decimal Quantity { get; set; }
    [Id(2)] public decimal EntryPrice { get; set; }
    [Id(3)] public int Leverage { get; set; }
    [Id(4)] public decimal IsolatedMargin { get; set; }

    /// <summary>This position's running share of the house: trader losses and fees in, trader gains out.</summary>
    [Id(5)] public decimal HouseLeg { get; set; }

    /// <summary>The account's last command number applied here, and its outcome, for exactly-once delivery.</summary>
    [Id(6)] public long LastSequence { get; set; }
    [Id(7)] public PositionOutcome? LastOutcome { get; set; }

    /// <summary>
    /// A liquidation's transfer to the insurance fund as state written before liquidations carried
    /// theirs on their report (<see cref="PositionEvent.Transfer"/>): still delivered, and recorded done, here.
    /// </summary>
    [Id(8)] public FundTransfer? PendingFundTransfer { get; set; }
    /// <summary>Events numbered so far (liquidations, funding settlements); a liquidation's number also names its fund transfer.</summary>
    [Id(9)] public int Events { get; set; }

    /// <summary>Events the account has not yet acknowledged journaling; re-sent on activation.</summary>
    [Id(10)] public List<PositionEvent> UnreportedEvents { get; set; } = [];

    /// <summary>Close-all orders on the mark, kept while the position is increased or reduced, cleared when it closes or flips.</summary>
    [Id(11)] public decimal? TakeProfit { get; set; }
    [Id(12)] public decimal? StopLoss { get; set; }

    /// <summary>The market's funding at this position's last settlement; null before its first.</summary>
    [Id(13)] public FundingPoint? Funding { get; set; }

    /// <summary>What auto-deleveraging took, on its way to the fund: a slot of its own, so a liquidation after it replaces nothing.</summary>
    [Id(14)] public FundTransfer? PendingContribution { get; set; }

    /// <summary>What the leg paid in fees and received in funding since it opened (see <see cref="Positions.Leg"/>).</summary>
    [Id(15)] public decimal FeesSinceOpen { get; set; }
    [Id(16)] public decimal FundingSinceOpen { get; set; }

    /// <summary>
    /// The index entries this position's row holds (<see cref="Storage.PositionTriggers"/>), set before
    /// each write that changes them: a shard that activates rebuilds them from the row. Empty in a
    /// row written before positions held their entries: their shard's own rows hold them.
    /// </summary>
    [Id(17)] public List<RowTrigger> RowTriggers { get; set; } = [];

    public bool IsOpen => Quantity > 0;

    /// <summary>The position as both books hold it (see <see cref="Positions.Leg"/>).</summary>
    public Leg Leg => new(Side, Quantity, EntryPrice, Leverage, TakeProfit, StopLoss, FeesSinceOpen, FundingSinceOpen);
    public int Sign => Side.Sign();
}
