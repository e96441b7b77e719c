namespace MarginOrleans.LoadTest;

/// <summary>The commands a load run sends, through the gateway (gRPC) or an Orleans client.</summary>
public interface ILoadTarget : IAsyncDisposable
{
    /// <summary>
    /// A fresh market; <paramref name="sharedFund"/>: its liquidations use the fund shared by every market that chooses it;
    /// <paramref name="fundingSeconds"/>: its funding interval (0: the default, eight hours).
    /// </summary>
    Task CreateMarket(string symbol, decimal startPrice, int triggerShards, bool sharedFund, int fundingSeconds);

    /// <summary>The market's next funding time.</summary>
    Task<DateTimeOffset> NextFundingTime(string symbol);

    /// <summary>Publishes a mark; returns how many triggers it fired.</summary>
    Task<int> PublishPrice(string symbol, decimal mark);

    /// <summary>Publishes one named source's index price; the market derives its mark from every fresh source.</summary>
    Task PublishSourcePrice(string symbol, string source, decimal price);

    /// <summary>
    /// Entries left in the market's trigger index (a liquidated position's entry leaves once fully
    /// delivered); null while a shard the market has not heard from since it activated may hold some.
    /// </summary>
    Task<int?> TriggerCount(string symbol);

    /// <summary>Creates the account; returns its API key (empty through an Orleans client).</summary>
    Task<string> CreateAccount(string accountId);

    Task Deposit(string accountId, decimal amount);

    /// <summary>Puts the account in hedge mode: a LONG and a SHORT leg per symbol, never netted.</summary>
    Task SetHedgeMode(Trader trader);

    /// <summary>Opens an isolated long (the LONG leg of a hedge trader) with request id account + <paramref name="command"/>; returns its liquidation price.</summary>
    Task<decimal> OpenLong(Trader trader, string symbol, decimal quantity, int leverage, string command = "/open");

    /// <summary>Sends one of the position commands (<see cref="PositionStep"/>, every step but opening again) to the trader's long; <paramref name="margin"/>: what a margin step adds or removes.</summary>
    Task Send(Trader trader, string symbol, PositionStep step, decimal margin);

    /// <summary>Opens a hedge trader's isolated SHORT leg beside its LONG leg; returns its liquidation price.</summary>
    Task<decimal> OpenShortLeg(Trader trader, string symbol, decimal quantity, int leverage);

    /// <summary>What the account's journal shows: the symbol's liquidation time and how often each command appears.</summary>
    Task<JournalFacts> Journal(Trader trader, string symbol);

    Task<decimal> AuditDiscrepancy();

    /// <summary>Opens <paramref name="watchers"/> live mark streams of the symbol, each counting into <paramref name="received"/>; disposing closes them.</summary>
    Task<IAsyncDisposable> WatchMarks(string symbol, int watchers, Action received);
}

/// <summary>A load account: one-way with one long, or in hedge mode with a LONG leg and maybe a SHORT leg too.</summary>
public sealed record Trader(string AccountId, string ApiKey, bool Hedge = false, bool ShortLeg = false);

/// <summary>The account exists but its API key was in a reply lost to a failover; it is left out of the run.</summary>
public sealed class KeyLostException(string accountId) : Exception($"the API key of {accountId} was lost with the reply that created it");

/// <summary>
/// An account's journal as the load run checks it: each acknowledged command exactly once.
/// <paramref name="PositionCommands"/>: margin added or removed, orders set or cleared, positions closed.
/// </summary>
public sealed record JournalFacts(DateTimeOffset? Liquidated, int Deposits, int Opens, int Liquidations, int PositionModeSets = 0, int PositionCommands = 0)
{
    /// <summary>The journal kinds of the position commands but opening.</summary>
    public static readonly string[] PositionCommandKinds = ["MarginAdded", "MarginRemoved", "TakeProfitStopLossSet", "PositionClosed"];

    /// <summary>
    /// One deposit, one open per leg, one mode change for a hedge trader, and one liquidation: its long's (a short leg outlives the walk down);
    /// with the position commands (<paramref name="reopened"/>: its long closed and opened again), each of them once and a second open.
    /// </summary>
    public bool ExactlyOnce(Trader trader, bool reopened) =>
        Deposits == 1 && Opens == (trader.ShortLeg ? 2 : 1) + (reopened ? 1 : 0) && Liquidations == 1 && PositionModeSets == (trader.Hedge ? 1 : 0)
        && PositionCommands == (reopened ? Enum.GetValues<PositionStep>().Length - 1 : 0);
}
