using MarginOrleans.Markets;
using MarginOrleans.Orders;
using MarginOrleans.Positions;
using Orleans.Concurrency;

namespace MarginOrleans.Accounts;

/// <summary>
/// A trader's account, keyed by account id: wallet, per-symbol leverage, house leg and journal.
/// It is the only grain that moves money in or out of the system, and it coordinates every
/// command on its isolated positions. A position is named by its <see cref="LegKey"/> (a bare
/// symbol names the one-way leg).
/// </summary>
[Alias("IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account and its API key; a repeated request id is AccountExists without the key.</summary>
    [Alias("Create")]
    Task<AccountCreated> Create(string requestId);

    /// <summary>
    /// A new API key for the account (the operator's answer to a lost key, or a lost CreateAccount
    /// reply): the old key stops working — at once for new gateways, within the key cache's life for running ones.
    /// </summary>
    [Alias("RotateApiKey")]
    Task<AccountCreated> RotateApiKey();

    /// <summary>The trader this account's key speaks for, if <paramref name="keyHash"/> is its key's hash (<see cref="Operations.ApiKeys"/>).</summary>
    [Alias("Authenticate")]
    Task<Operations.Principal?> Authenticate(string keyHash);

    [Alias("Deposit")]
    Task<CommandResult> Deposit(string requestId, decimal amount);

    [Alias("Withdraw")]
    Task<CommandResult> Withdraw(string requestId, decimal amount);

    /// <summary>Sets the leverage used for the symbol's next position.</summary>
    [Alias("SetLeverage")]
    Task<CommandResult> SetLeverage(string requestId, string symbol, int leverage);

    /// <summary>Sets a symbol's margin mode; refused while a position on it is open, a no-op when unchanged.</summary>
    [Alias("SetMarginMode")]
    Task<CommandResult> SetMarginMode(string requestId, string symbol, MarginMode mode);

    /// <summary>One-way or hedge, for every symbol; changes only with no open position, a no-op when unchanged.</summary>
    [Alias("SetPositionMode")]
    Task<CommandResult> SetPositionMode(string requestId, PositionMode mode);

    /// <summary>The trader's own leverage cap: lowered any time, raised only with no open position.</summary>
    [Alias("SetRiskPolicy")]
    Task<CommandResult> SetRiskPolicy(string requestId, int leverageMax);

    [Alias("PreviewPosition")]
    Task<PositionPreview> PreviewPosition(OpenOrder order);

    /// <summary>Opens, increases, reduces or flips the symbol's isolated position at the mark.</summary>
    [Alias("OpenPosition")]
    Task<CommandResult> OpenPosition(string requestId, OpenOrder order);

    /// <summary>Closes <paramref name="quantity"/> of the position, or all of it when null.</summary>
    [Alias("ClosePosition")]
    Task<CommandResult> ClosePosition(string requestId, LegKey leg, decimal? quantity);

    /// <summary>Sets the position's take-profit and stop-loss (null removes one); either closes the whole position when the mark reaches it.</summary>
    [Alias("SetTakeProfitStopLoss")]
    Task<CommandResult> SetTakeProfitStopLoss(string requestId, LegKey leg, decimal? takeProfit, decimal? stopLoss);

    /// <summary>
    /// An isolated position's take-profit or stop-loss fired: close it as any close, once.
    /// <paramref name="positionSequence"/> (the position's last command) names the close, so a
    /// repeated wake-up of the same order runs it once.
    /// </summary>
    [OneWay, Alias("CloseBy")]
    Task CloseBy(LegKey leg, TriggerKind kind, long positionSequence);

    /// <summary>
    /// An insurance fund's auto-deleveraging order (request id reserved for the engine): closes part
    /// or all of the leg at the bankrupt one's price and sends what it gives up to the
    /// fund; <see cref="Rejection.NothingToDeleverage"/> when there is nothing to give.
    /// </summary>
    [Alias("Deleverage")]
    Task<CommandResult> Deleverage(string requestId, LegKey leg, DeleverageOrder order);

    [Alias("AddMargin")]
    Task<CommandResult> AddMargin(string requestId, LegKey leg, decimal amount);

    [Alias("RemoveMargin")]
    Task<CommandResult> RemoveMargin(string requestId, LegKey leg, decimal amount);

    /// <summary>The account marked to current prices, or null when it does not exist.</summary>
    [Alias("GetAccount")]
    Task<AccountView?> GetAccount();

    [Alias("GetPosition")]
    Task<PositionView?> GetPosition(LegKey leg);

    /// <summary>The symbol's position's ADL indicator: 1 (last) to 5 (first to be auto-deleveraged); 0 without a liquidation trigger.</summary>
    [Alias("GetDeleverageQuantile")]
    Task<int> GetDeleverageQuantile(LegKey leg);

    /// <summary>Up to <paramref name="limit"/> journal rows with sequence ≥ <paramref name="fromSequence"/>.</summary>
    [Alias("GetJournal")]
    Task<IReadOnlyList<JournalEntry>> GetJournal(long fromSequence, int limit);

    /// <summary>
    /// The journal's funding rows, every symbol, settled at or after <paramref name="since"/>: up to
    /// <paramref name="limit"/> from <paramref name="fromSequence"/> on, in order.
    /// </summary>
    [Alias("ListFundingPayments")]
    Task<IReadOnlyList<JournalEntry>> ListFundingPayments(DateTimeOffset since, long fromSequence, int limit);

    [Alias("GetLedger")]
    Task<AccountLedger> GetLedger();

    /// <summary>
    /// A trigger of this account's on <paramref name="symbol"/> was crossed: the band of its leg
    /// <paramref name="leg"/> (<paramref name="kind"/> Liquidation), or that cross position's
    /// take-profit or stop-loss. Re-mark the cross positions, then liquidate, close by the order, or
    /// register fresh triggers; an entry of a leg or order the account no longer holds is removed.
    /// </summary>
    [OneWay, Alias("OnCrossTrigger")]
    Task OnCrossTrigger(string symbol, LegSide leg, TriggerKind kind);

    /// <summary>Re-marks the cross positions now as a crossed band would; true when that liquidated them.</summary>
    [Alias("CheckCross")]
    Task<bool> CheckCross();

    /// <summary>
    /// A position of this account was liquidated or settled funding by itself: journal each event
    /// once (by its number; all unacknowledged ones come together, in order) and acknowledge.
    /// </summary>
    /// <summary>Places a conditional order (<see cref="ConditionalOrder"/>): checked now, registered in the market's trigger index, fired once.</summary>
    [Alias("PlaceOrder")]
    Task<CommandResult> PlaceOrder(string requestId, ConditionalOrder order);

    [Alias("AmendOrder")]
    Task<CommandResult> AmendOrder(string requestId, long orderId, OrderAmendment amendment);

    [Alias("CancelOrder")]
    Task<CommandResult> CancelOrder(string requestId, long orderId);

    /// <summary>The conditional orders waiting, oldest first.</summary>
    [Alias("ListOrders")]
    Task<IReadOnlyList<PlacedOrder>> ListOrders();

    /// <summary>The market's trigger index found the mark crossing the order's condition (or its trailing stop fired).</summary>
    [OneWay, Alias("OnOrderTrigger")]
    Task OnOrderTrigger(string symbol, long orderId);

    [OneWay, Alias("OnPositionEvents")]
    Task OnPositionEvents(IReadOnlyList<PositionEvent> events);
}
