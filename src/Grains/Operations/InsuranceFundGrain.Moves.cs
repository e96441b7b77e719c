using Microsoft.Extensions.Logging;

namespace MarginOrleans.Operations;

/// <summary>
/// An operator's move between funds is one exactly-once operation of the source fund: it books the
/// move out durably, with its target, then itself pays the target (<see cref="MoveIn"/>, once per
/// request id). A failure between the two halves heals by itself: the fund re-delivers every move
/// still undelivered on a timer and whenever it activates, and the audit counts the move in flight
/// meanwhile. The same request id repeats the first answer; other arguments are a reuse of the id.
/// </summary>
public sealed partial class InsuranceFundGrain
{
    private static readonly TimeSpan RedeliverEvery = TimeSpan.FromSeconds(1);

    private IGrainTimer? redelivery;

    public async Task<Rejected> Move(string requestId, string toFund, decimal amount)
    {
        var fund = Fund;
        if (toFund == fund)
        {
            return new Rejected(Rejection.FundsMustDiffer, $"a move needs two different funds; both are {fund}");
        }

        if (Replay(requestId, FundMovementKind.MovedOut, -amount, toFund) is { } replayed)
        {
            await commit.Durable();
            return replayed.IsOk ? await Deliver(requestId, toFund, amount) : replayed;
        }

        if (amount > state.State.Balance)
        {
            return new Rejected(Rejection.InsufficientBalance, $"fund {fund} holds {state.State.Balance}; cannot move {amount}");
        }

        Move(requestId, FundMovementKind.MovedOut, -amount, toFund);
        state.State.MovesUndelivered.Add(requestId);
        await commit.Durable();
        return await Deliver(requestId, toFund, amount);
    }

    /// <summary>
    /// The second half, named by its source fund and the request id together: ids are the operator's,
    /// checked by the source, so the same id may already name another movement here (a top-up, a move
    /// from another fund) — that must never refuse money the source has already booked out.
    /// </summary>
    public async Task<Rejected> MoveIn(string requestId, string fromFund, decimal amount)
    {
        if (state.State.Movements.Any(m => m.Kind == FundMovementKind.MovedIn && m.RequestId == requestId && m.OtherFund == fromFund))
        {
            await commit.Durable();
            return Rejected.Ok;
        }

        Move(requestId, FundMovementKind.MovedIn, amount, fromFund);
        await commit.Durable();
        return Rejected.Ok;
    }

    /// <summary>Pays the target its half; until it has answered, the move stays listed and is delivered again later.</summary>
    private async Task<Rejected> Deliver(string requestId, string toFund, decimal amount)
    {
        try
        {
            faults.At(FaultPoints.MoveRecorded, requestId);
            var landed = await GrainFactory.GetGrain<IInsuranceFundGrain>(toFund).MoveIn(requestId, Fund, amount);
            if (landed.IsOk && state.State.MovesUndelivered.Remove(requestId))
            {
                commit.Changed();
                await commit.Durable();
            }

            return landed;
        }
        catch
        {
            DeliverMovesLater(RedeliverEvery);
            throw;
        }
    }

    /// <summary>Keeps the fund alive and re-delivering while any move out has not landed.</summary>
    private void DeliverMovesLater(TimeSpan due)
    {
        if (state.State.MovesUndelivered.Count > 0)
        {
            redelivery ??= this.RegisterGrainTimer(DeliverUndelivered, new GrainTimerCreationOptions(due, RedeliverEvery) { KeepAlive = true });
        }
    }

    private async Task DeliverUndelivered()
    {
        foreach (var requestId in state.State.MovesUndelivered.ToList())
        {
            var move = state.State.Movements.First(m => m.RequestId == requestId && m.Kind == FundMovementKind.MovedOut);
            try
            {
                await Deliver(requestId, move.OtherFund, -move.Amount);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Move {RequestId} to fund {Fund} not delivered yet; trying again", requestId, move.OtherFund);
                return;
            }
        }

        if (state.State.MovesUndelivered.Count == 0)
        {
            redelivery?.Dispose();
            redelivery = null;
        }
    }
}
