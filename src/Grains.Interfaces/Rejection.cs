namespace MarginOrleans;

/// <summary>
/// Why a command was refused. Numbers are fixed forever and never reused. They say nothing of
/// the order checks run in: each command checks in its own fixed order (documented where it
/// checks), and the gateway sends the reason's name as <c>google.rpc.ErrorInfo.reason</c> so
/// clients branch on it, not on the message.
/// </summary>
[Alias("Rejection")]
public enum Rejection
{
    None = 0,
    SymbolUnknown = 1,
    QuantityNotPositive = 2,
    QuantityNotMultipleOfLot = 3,
    PriceNotMultipleOfTick = 4,
    LeverageOutOfRange = 5,
    LeverageExceedsBracketMax = 6,
    NotionalExceedsLastBracket = 7,
    InsufficientBalance = 8,
    AmountNotPositive = 9,
    WouldTriggerLiquidation = 10,
    ExceedsMaxRemovable = 11,
    NoOpenPosition = 12,
    CloseExceedsPosition = 13,
    LimitPriceNotMet = 14,
    AccountUnknown = 15,
    AccountExists = 16,
    MarketExists = 17,
    MarketSpecInvalid = 18,
    LeverageDiffersFromPosition = 19,
    MarkPriceMissing = 20,
    AmountTooPrecise = 21,
    PositionLiquidated = 22,
    // 23 was LeverageChangeWithOpenPosition: leverage on an open position now moves margin instead. Never reuse.
    CommandCancelled = 24,
    MarginModeChangeWithOpenPosition = 25,
    LeverageExceedsRiskPolicy = 26,
    RiskPolicyRaiseWithOpenPosition = 27,
    NotIsolated = 28,
    TriggerWouldFireNow = 29,

    /// <summary>A take-profit or stop-loss woke its position, but the mark has moved back (or the order changed): nothing to close.</summary>
    TriggerNotCrossed = 30,
    MarkPriceStale = 31,
    RequestIdReused = 32,
    FundsMustDiffer = 33,

    /// <summary>An auto-deleveraging order found nothing to give: no position on that side, none in profit, or a transfer still on its way.</summary>
    NothingToDeleverage = 34,

    /// <summary>An update asked to move a market onto or off the shared insurance fund: what its fund holds and owes stays with the fund it was created with.</summary>
    InsuranceFundFixedAtCreation = 35,

    /// <summary>
    /// The market's trigger shards woke owners that have not answered yet: no new risk on it until
    /// those liquidations are worked off. Passing: send the same request again.
    /// </summary>
    LiquidationsPending = 36,

    /// <summary>The position side does not fit the account's position mode: BOTH in one-way mode, LONG or SHORT in hedge mode.</summary>
    PositionSideMismatch = 37,

    /// <summary>An order that may only reduce (reduce-only, or the opposite side of a hedge leg) found nothing to reduce.</summary>
    ReduceOnlyWouldIncrease = 38,

    /// <summary>The position mode changes only with no open position on any symbol.</summary>
    PositionModeChangeWithOpenPosition = 39,

    /// <summary>Reduce-only was asked in hedge mode, where the leg's side already says whether an order opens or closes.</summary>
    ReduceOnlyNotApplicable = 40,

    /// <summary>No conditional order of the account has this id (never placed, or already fired, cancelled or expired).</summary>
    OrderUnknown = 41,

    /// <summary>A trailing stop's callback rate is outside 0.1% to 10%, or not on the 0.1% grid.</summary>
    CallbackRateOutOfRange = 42,

    /// <summary>A trailing stop's activation price is already reached by the mark: it would start to follow at once, not where asked.</summary>
    ActivationPriceReached = 43,

    /// <summary>The order's fields do not fit its type (a trigger price on a trailing stop, a callback rate on a stop, both or neither of quantity and close-position).</summary>
    OrderFieldsInvalid = 44,

    /// <summary>A good-till time that has already passed.</summary>
    GoodTillPassed = 45,

    /// <summary>The account already holds as many open conditional orders as it may (200): one must fire, end or be cancelled first.</summary>
    OpenOrdersMax = 46,
}
