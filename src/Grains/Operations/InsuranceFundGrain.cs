using MarginOrleans.Storage;
using MarginOrleans.Telemetry;
using Orleans.Concurrency;

namespace MarginOrleans.Operations;

[GenerateSerializer, Alias("InsuranceFundState")]
public sealed class InsuranceFundState
{
    [Id(0)] public decimal Balance { get; set; }
    [Id(1)] public decimal Received { get; set; }
    [Id(2)] public decimal Paid { get; set; }

    /// <summary>Transfers applied whose senders have not yet confirmed completion; bounded by what is in flight.</summary>
    [Id(3)] public Dictionary<string, decimal> Applied { get; set; } = [];

    /// <summary>Money operators put in from outside, and every operator movement (kept: request ids stay unique).</summary>
    [Id(4)] public decimal ToppedUp { get; set; }
    [Id(5)] public List<FundMovement> Movements { get; set; } = [];
}

/// <summary>
/// Receives what liquidated positions leave and pays the deficits of those closed past
/// bankruptcy. It may go negative: that is the point where an exchange would auto-deleverage.
/// Every liquidation in the system passes through here, so writes are group-committed: the grain
/// is reentrant, each transfer is applied in memory and acknowledged only once a state write that
/// includes it has completed, and one write covers every transfer applied while the previous one
/// was in progress. A liquidation cascade costs a few writes, not one per position.
/// </summary>
[Reentrant]
public sealed class InsuranceFundGrain : Grain, IInsuranceFundGrain
{
    private readonly IPersistentState<InsuranceFundState> state;
    private readonly GroupCommit commit;

    private readonly TimeProvider time;

    public InsuranceFundGrain([PersistentState("fund", "margin")] IPersistentState<InsuranceFundState> state, TimeProvider time)
    {
        (this.state, this.time) = (state, time);
        commit = new GroupCommit(Write);
    }

    public async Task Apply(string transferId, decimal amount)
    {
        // A repeat is acknowledged only once everything applied so far is durable, its first application included.
        if (!state.State.Applied.ContainsKey(transferId))
        {
            var before = state.State.Balance;
            state.State.Balance += amount;
            if (amount >= 0)
            {
                state.State.Received += amount;
            }
            else
            {
                state.State.Paid -= amount;
            }

            state.State.Applied[transferId] = amount;
            Invariant.Assert(state.State.Balance - before == amount, "fund balance moved by exactly the transfer");
            commit.Changed();
            EngineMetrics.FundBalance(this.GetPrimaryKeyString(), state.State.Balance);
        }

        await commit.Durable();
    }

    public Task Forget(string transferId)
    {
        // Persisted with the next write; a forgotten id that reappears after a restart is harmless.
        state.State.Applied.Remove(transferId);
        return Task.CompletedTask;
    }

    public Task<InsuranceFundView> Get() =>
        Task.FromResult(new InsuranceFundView(state.State.Balance, state.State.Received, state.State.Paid, state.State.ToppedUp));

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

    public async Task<Rejected> MoveOut(string requestId, string toFund, decimal amount)
    {
        if (Replay(requestId, FundMovementKind.MovedOut, -amount, toFund) is { } replayed)
        {
            await commit.Durable();
            return replayed;
        }

        if (amount > state.State.Balance)
        {
            return new Rejected(Rejection.InsufficientBalance, $"fund {this.GetPrimaryKeyString()} holds {state.State.Balance}; cannot move {amount}");
        }

        Move(requestId, FundMovementKind.MovedOut, -amount, toFund);
        await commit.Durable();
        return Rejected.Ok;
    }

    public async Task<Rejected> MoveIn(string requestId, string fromFund, decimal amount)
    {
        if (Replay(requestId, FundMovementKind.MovedIn, amount, fromFund) is { } replayed)
        {
            await commit.Durable();
            return replayed;
        }

        Move(requestId, FundMovementKind.MovedIn, amount, fromFund);
        await commit.Durable();
        return Rejected.Ok;
    }

    /// <summary>A movement already booked under this request id: the same one is a repeat (Ok), any other a reuse of the id (refused).</summary>
    private Rejected? Replay(string requestId, FundMovementKind kind, decimal amount, string otherFund) =>
        state.State.Movements.FirstOrDefault(m => m.RequestId == requestId) is not { } booked ? null
        : (booked.Kind, booked.Amount, booked.OtherFund) == (kind, amount, otherFund) ? Rejected.Ok
        : new Rejected(Rejection.RequestIdReused, $"request id {requestId} was used for another movement of fund {this.GetPrimaryKeyString()}");

    public Task<IReadOnlyList<FundMovement>> GetMovements() => Task.FromResult<IReadOnlyList<FundMovement>>([.. state.State.Movements]);

    private void Move(string requestId, FundMovementKind kind, decimal amount, string otherFund)
    {
        state.State.Balance += amount;
        state.State.Movements.Add(new FundMovement(requestId, time.GetUtcNow(), kind, amount, otherFund));
        commit.Changed();
        EngineMetrics.FundBalance(this.GetPrimaryKeyString(), state.State.Balance);
    }

    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory holds transfers storage does not: reload; their senders re-drive them.
            DeactivateOnIdle();
            throw;
        }
    }
}
