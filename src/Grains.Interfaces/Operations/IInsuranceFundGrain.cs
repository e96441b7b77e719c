using Orleans.Concurrency;
namespace MarginOrleans.Operations;

/// <summary>A market's insurance fund (key: its symbol; "USDT" is the fund shared by every market before each had its own).</summary>
[Alias("IInsuranceFundGrain")]
public interface IInsuranceFundGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books a signed transfer once: a repeated <paramref name="transferId"/> is a no-op until
    /// the sender calls <see cref="Forget"/> after recording the transfer as complete. A deficit
    /// beyond the balance leaves the fund at zero, owing the rest, which auto-deleveraging of
    /// the <paramref name="deficit"/>'s other side collects.
    /// </summary>
    [Alias("Apply")]
    Task Apply(string transferId, decimal amount, Deficit? deficit);

    /// <summary>Nothing but activation: a fund that owes resumes auto-deleveraging as it activates.</summary>
    [OneWay, Alias("Resume")]
    Task Resume();

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

    /// <summary>The first half of an operator's move to another fund: refused beyond the balance; once per request id.</summary>
    [Alias("MoveOut")]
    Task<Rejected> MoveOut(string requestId, string toFund, decimal amount);

    /// <summary>The second half of an operator's move from another fund, once per request id.</summary>
    [Alias("MoveIn")]
    Task<Rejected> MoveIn(string requestId, string fromFund, decimal amount);

    /// <summary>The operator's top-ups and moves, oldest first.</summary>
    [Alias("GetMovements")]
    Task<IReadOnlyList<FundMovement>> GetMovements();
}
