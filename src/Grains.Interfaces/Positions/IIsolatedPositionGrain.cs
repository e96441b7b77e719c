using MarginOrleans.Markets;
using Orleans.Concurrency;

namespace MarginOrleans.Positions;

/// <summary>
/// One isolated position, keyed "{account}/{symbol}". It owns its collateral; only its account
/// commands it, and only its market's trigger index wakes it.
/// </summary>
[Alias("IIsolatedPositionGrain")]
public interface IIsolatedPositionGrain : IGrainWithStringKey
{
    /// <summary>Applies command number <paramref name="sequence"/> once; a repeat returns the first outcome.</summary>
    [Alias("Apply")]
    Task<PositionOutcome> Apply(long sequence, PositionCommand command, MarketSnapshot market);

    /// <summary>
    /// Resolves a command the account may or may not have delivered before a crash: its outcome
    /// if it was applied, otherwise the sequence is spent and the command reported cancelled.
    /// </summary>
    [Alias("Settle")]
    Task<PositionOutcome> Settle(long sequence);

    /// <summary>The position marked to the snapshot's mark, or null when flat.</summary>
    [Alias("Get")]
    Task<PositionView?> Get(MarketSnapshot market);

    /// <summary>
    /// The market's trigger index fired this position's entry of kind <paramref name="woken"/>:
    /// re-check own state against the current mark and act, and answer the entry (registered again,
    /// or removed if the position holds no such entry).
    /// </summary>
    [OneWay, Alias("OnTrigger")]
    Task OnTrigger(TriggerKind woken);

    [Alias("GetLedger")]
    Task<PositionLedger> GetLedger();

    /// <summary>The account has journaled this position's events up to <paramref name="number"/>.</summary>
    [OneWay, Alias("AcknowledgeEvents")]
    Task AcknowledgeEvents(int number);
}
