namespace MarginOrleans.Accounts;

[Alias("JournalKind")]
public enum JournalKind
{
    Deposit = 1,
    Withdrawal = 2,
    PositionOpened = 3,
    PositionIncreased = 4,
    PositionReduced = 5,
    PositionClosed = 6,
    PositionFlipped = 7,
    MarginAdded = 8,
    MarginRemoved = 9,
    Liquidation = 10,
    LeverageSet = 11,
    MarginModeSet = 12,
    RiskPolicySet = 13,
    TakeProfitStopLossSet = 14,
    TakeProfit = 15,
    StopLoss = 16,
    Funding = 17,
    PartialLiquidation = 18,
    AutoDeleveraged = 19,
    PositionModeSet = 20,

    /// <summary>A conditional order was placed; the row carries its id.</summary>
    OrderPlaced = 21,
    OrderAmended = 22,

    /// <summary>An order left without firing: cancelled by the trader, expired, or cancelled by the engine (its leg closed, or its market order was refused when it fired); the note says why.</summary>
    OrderCancelled = 23,

    /// <summary>An order fired and its market order filled; the fill's own row follows.</summary>
    OrderTriggered = 24,
}
