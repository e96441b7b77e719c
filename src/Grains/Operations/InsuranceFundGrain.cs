using MarginOrleans.Placement;
using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MarginOrleans.Operations;

[GenerateSerializer, Alias("InsuranceFundState")]
public sealed class InsuranceFundState
{
    [Id(0)] public decimal Balance { get; set; }
    [Id(1)] public decimal Received { get; set; }
    [Id(2)] public decimal Paid { get; set; }

    /// <summary>Transfers applied, not yet confirmed, as stored before they had rows of their own (<see cref="FundRows"/>): moved there by the next write.</summary>
    [Id(3)] public Dictionary<string, decimal> Applied { get; set; } = [];

    /// <summary>Money operators put in from outside, and every operator movement (kept: request ids stay unique).</summary>
    [Id(4)] public decimal ToppedUp { get; set; }
    [Id(5)] public List<FundMovement> Movements { get; set; } = [];

    /// <summary>Deficits paid beyond the balance, owed to the house until auto-deleveraging (or any money coming in) covers them.</summary>
    [Id(6)] public decimal Owed { get; set; }

    /// <summary>What is owed, per bankrupt liquidation, oldest first (Σ remaining = <see cref="Owed"/>).</summary>
    [Id(7)] public List<Shortfall> Shortfalls { get; set; } = [];

    /// <summary>Auto-deleveraging steps numbered so far; the one sent and not yet answered.</summary>
    [Id(8)] public long DeleverageSteps { get; set; }
    [Id(9)] public DeleverageStep? Step { get; set; }
    [Id(10)] public decimal Deleveraged { get; set; }

    /// <summary>Request ids of moves out of this fund whose other half has not landed in the target yet; bounded by what is in flight.</summary>
    [Id(11)] public HashSet<string> MovesUndelivered { get; set; } = [];

    /// <summary>The number of the write that stored this state; rows of applied transfers tagged with a later one never counted.</summary>
    [Id(12)] public long Commit { get; set; }
}

/// <summary>
/// Receives what liquidated positions leave and pays the deficits of those closed past
/// bankruptcy. It never goes below zero: what it cannot pay it owes, and auto-deleveraging of the
/// other side collects it (see the partial class beside this one). Every liquidation in the system passes through here, so writes are group-committed: the grain
/// is reentrant, each transfer is applied in memory and acknowledged only once a state write that
/// includes it has completed, and one write covers every transfer applied while the previous one
/// was in progress. A liquidation cascade costs a few writes, not one per position. The state and
/// the ids of applied transfers live in the fund's own rows (<see cref="FundRows"/>).
/// </summary>
[OnSiloRole(SiloRoles.Trading)]
[Reentrant]
public sealed partial class InsuranceFundGrain : Grain, IInsuranceFundGrain
{
    /// <summary>Orleans' row of the state, read for a fund stored before it had rows of its own, and never written; <c>State</c> is the fund's state in memory.</summary>
    private readonly IPersistentState<InsuranceFundState> state;
    private readonly GroupCommit commit;
    private readonly FundRows rows;
    private AppliedTransfers applied = new([]);
    private string? etag;

    private readonly TimeProvider time;
    private readonly ILogger<InsuranceFundGrain> log;

    private readonly IFaultInjector faults;

    public InsuranceFundGrain([PersistentState("fund", MarginCluster.Storage)] IPersistentState<InsuranceFundState> state, FundRows rows, TimeProvider time,
        ILogger<InsuranceFundGrain> log, IFaultInjector faults)
    {
        (this.state, this.rows, this.time, this.log, this.faults) = (state, rows, time, log, faults);
        commit = new GroupCommit(Write, "fund");
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (state.State, etag, var stored) = await rows.Load(Fund, state.State);
        applied = new AppliedTransfers(stored);
        foreach (var (id, amount) in state.State.Applied)
        {
            applied.Add(id, amount);
        }

        state.State.Applied = [];

        StartDeleveraging();
        DeliverMovesLater(TimeSpan.Zero);
    }

    /// <summary>Transfers confirmed since the last write would come back as applied: harmless, but they would pile up.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var shrunk = applied.Shrunk();
        try
        {
            await rows.Tidy(Fund, shrunk);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Fund {Fund} left {Count} rows holding confirmed transfers", Fund, shrunk.Count);
        }
    }

    public async Task Apply(string transferId, decimal amount, Deficit? deficit)
    {
        faults.At(FaultPoints.FundUnanswered, transferId);
        // A repeat is acknowledged only once everything applied so far is durable, its first application included.
        if (!applied.Contains(transferId))
        {
            if (amount >= 0)
            {
                state.State.Received += amount;
            }
            else
            {
                state.State.Paid -= amount;
            }

            var step = state.State.Step is { } s && transferId == RequestId(s) ? s : null;
            Book(amount, transferId, deficit, step?.Shortfall);
            state.State.Deleveraged += transferId.StartsWith(DeleveragePrefix, StringComparison.Ordinal) ? amount : 0m;
            if (step is not null)
            {
                state.State.Step = step with { Paid = true };
            }

            applied.Add(transferId, amount);
            commit.Changed();
        }

        await commit.Durable();
        StartDeleveraging();
    }

    /// <summary>
    /// Moves the fund by <paramref name="amount"/>: money in pays what is owed first; a payment
    /// beyond the balance leaves it at zero and owes the rest, to be collected by auto-deleveraging
    /// the other side of <paramref name="deficit"/>. Balance − owed moves by exactly the amount. What
    /// an auto-deleveraging order collected pays its own shortfall first (<paramref name="collectedFor"/>).
    /// </summary>
    private void Book(decimal amount, string id, Deficit? deficit, string? collectedFor = null)
    {
        var f = state.State;
        var before = f.Balance - f.Owed;
        f.Balance += amount;
        if (f.Balance < 0m)
        {
            var shortfall = -f.Balance;
            (f.Balance, f.Owed) = (0m, f.Owed + shortfall);
            Shortfall.Add(f.Shortfalls, Shortfall.Of(id, shortfall, -amount, deficit));
        }
        else if (f.Owed > 0m)
        {
            var paid = Math.Min(f.Balance, f.Owed);
            (f.Balance, f.Owed) = (f.Balance - paid, f.Owed - paid);
            Shortfall.Cover(f.Shortfalls, paid, collectedFor);
        }

        Invariant.Assert(f.Balance - f.Owed - before == amount && f.Balance >= 0m && f.Owed >= 0m, "the fund moved by exactly the transfer and stays at or above zero");
        Invariant.Assert(f.Shortfalls.Sum(x => x.Remaining) == f.Owed, "what is owed is the sum of the shortfalls");
        EngineMetrics.FundBalance(Fund, f.Balance);
    }

    public Task Forget(string transferId)
    {
        // Its row loses it with the next write; a forgotten id that reappears after a restart is harmless.
        applied.Forget(transferId);
        return Task.CompletedTask;
    }

    public Task<InsuranceFundView> Get() => Task.FromResult(new InsuranceFundView(
        state.State.Balance, state.State.Received, state.State.Paid, state.State.ToppedUp, state.State.Owed, state.State.Deleveraged));

    public async Task<FundAudit> GetAudit() => new(Fund, await Get(),
        new Dictionary<string, decimal>(applied.All), [.. state.State.Movements]);

    public async Task<Rejected> TopUp(string requestId, decimal amount)
    {
        if (Replay(requestId, FundMovementKind.TopUp, amount, "") is { } replayed)
        {
            await commit.Durable();
            return replayed;
        }

        Move(requestId, FundMovementKind.TopUp, amount, "");
        state.State.ToppedUp += amount;
        await commit.Durable();
        return Rejected.Ok;
    }

    /// <summary>A movement already booked under this request id: the same one is a repeat (Ok), any other a reuse of the id (refused).</summary>
    private Rejected? Replay(string requestId, FundMovementKind kind, decimal amount, string otherFund) =>
        state.State.Movements.FirstOrDefault(m => m.RequestId == requestId) is not { } booked ? null
        : (booked.Kind, booked.Amount, booked.OtherFund) == (kind, amount, otherFund) ? Rejected.Ok
        : new Rejected(Rejection.RequestIdReused, $"request id {requestId} was used for another movement of fund {Fund}");

    public Task<IReadOnlyList<FundMovement>> GetMovements() => Task.FromResult<IReadOnlyList<FundMovement>>([.. state.State.Movements]);

    private void Move(string requestId, FundMovementKind kind, decimal amount, string otherFund)
    {
        Book(amount, requestId, null);
        state.State.Movements.Add(new FundMovement(requestId, time.GetUtcNow(), kind, amount, otherFund));
        commit.Changed();
    }

    /// <summary>
    /// The state with the rows of the transfers applied since the last write. Both are taken before
    /// anything is awaited: transfers applied meanwhile (the grain is reentrant) go to the next write.
    /// </summary>
    private async Task Write()
    {
        state.State.Commit++;
        var taken = applied.Take(state.State.Commit);
        var snapshot = rows.Serialized(state.State);
        try
        {
            etag = await rows.Write(Fund, snapshot, state.State.Commit, etag, taken, () => faults.At(FaultPoints.FundBatchUnsent, Fund));
        }
        catch
        {
            // Memory holds transfers storage does not: reload; their senders re-drive them.
            applied.Return(taken);
            DeactivateOnIdle();
            throw;
        }
    }
}
