using Orleans.Concurrency;
namespace MarginOrleans.Operations;

/// <summary>A market's insurance fund (key: its symbol; "USDT" is the fund shared by every market before each had its own).</summary>
[Alias("IInsuranceFundGrain")]
public interface IInsuranceFundGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books a signed transfer once: a repeated <paramref name="transferId"/> is a no-op until
    /// <see cref="Forget"/>, called once the transfer's completion is durable where a re-send would
    /// be decided (a liquidation's: its account's journal row; others: their sender's state). A deficit
    /// beyond the balance leaves the fund at zero, owing the rest, which auto-deleveraging of
    /// the <paramref name="deficit"/>'s other side collects. Answered once durable: its caller waits
    /// for the storage (<see cref="MarginCluster.DurableAnswerTimeout"/>), not for the 30 s of any call.
    /// </summary>
    [Alias("Apply"), ResponseTimeout(MarginCluster.DurableAnswerTimeout)]
    Task Apply(string transferId, decimal amount, Deficit? deficit);

    /// <summary>Nothing but activation: a fund that owes resumes auto-deleveraging as it activates.</summary>
    [OneWay, Alias("Resume")]
    Task Resume();

    /// <summary>Drops an applied id no one will send again (its row is deleted by the fund's next write): the ids kept are those in flight.</summary>
    [OneWay, Alias("Forget")]
    Task Forget(string transferId);

    [Alias("Get")]
    Task<InsuranceFundView> Get();

    /// <summary>The figures, applied transfers and movements the conservation audit reads, in one turn.</summary>
    [Alias("GetAudit")]
    Task<FundAudit> GetAudit();

    /// <summary>An operator's top-up from outside the system, once per request id (the audit counts it beside deposits).</summary>
    [Alias("TopUp")]
    Task<Rejected> TopUp(string requestId, decimal amount);

    /// <summary>
    /// An operator's move of <paramref name="amount"/> from this fund to <paramref name="toFund"/>,
    /// once per request id: refused beyond the balance; booked here durably with its target, then
    /// delivered to the target by this fund (<see cref="MoveIn"/>), again after any failure until it
    /// lands. The same request id answers as the first time; other arguments are refused (RequestIdReused).
    /// </summary>
    [Alias("Move")]
    Task<Rejected> Move(string requestId, string toFund, decimal amount);

    /// <summary>The second half of a move from another fund, delivered by that fund (<see cref="Move"/>); once per request id.</summary>
    [Alias("MoveIn")]
    Task<Rejected> MoveIn(string requestId, string fromFund, decimal amount);

    /// <summary>The operator's top-ups and moves, oldest first.</summary>
    [Alias("GetMovements")]
    Task<IReadOnlyList<FundMovement>> GetMovements();
}
