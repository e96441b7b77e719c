namespace MarginOrleans.Accounts;

/// <summary>
/// A position command's booking is written with the account's next write, not on its own. Once the
/// position has answered, two rows already say everything the booking does: the account's intent
/// (the numbered command, written before it was sent) and the position's outcome for that number.
/// A crash before the next write loses neither: reactivation settles the intent from the outcome
/// (<see cref="SettlePending"/>) and books it again, the same rows under the same sequence numbers.
/// So a position command costs the intent and the position's write, and its booking rides on the
/// next command's batch — or is written when a journal is read or the account deactivates.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>Memory holds a booking storage does not (its intent and outcome do).</summary>
    private bool bookedUnwritten;

    /// <summary>The journal rows the watchers were told of, up to this sequence: a booking tells them before it is written.</summary>
    private long toldThrough;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await WriteBooked();

    /// <summary>Ends an activation whose memory may hold a change storage must not get: nothing is written at its end.</summary>
    private void Discard()
    {
        bookedUnwritten = false; // the booking is settled anew from its intent at the next activation
        DeactivateOnIdle();
    }

    /// <summary>Writes the state and then the journal rows it committed.</summary>
    private async Task WriteState()
    {
        await state.WriteStateAsync();
        await FlushJournal();
    }

    /// <summary>Writes a booking left unwritten: before a journal is read from the table, and at deactivation.</summary>
    private async Task WriteBooked()
    {
        if (bookedUnwritten)
        {
            await WriteState();
        }
    }

    /// <summary>A booking kept in memory: its rows go to the watchers now and to the table with the next write.</summary>
    private async Task BookedUnwritten()
    {
        bookedUnwritten = true;
        await TellWatchers();
    }

    /// <summary>
    /// Writes the rows committed with the last state write, unless the state storage wrote them in
    /// the same batch; upserts by sequence, so repeating is harmless.
    /// </summary>
    private async Task FlushJournal()
    {
        if (!journal.WrittenWithState)
        {
            await journal.Write(Id, Account.UnwrittenJournal, Account.UnwrittenRequests);
        }

        await TellWatchers();
        Account.UnwrittenJournal.Clear();
        Account.UnwrittenRequests.Clear();
        bookedUnwritten = false;
    }

    private async Task TellWatchers()
    {
        var fresh = Account.UnwrittenJournal.Where(e => e.Sequence > toldThrough).ToList();
        if (fresh.Count > 0)
        {
            await Watchers.Journaled(Id, fresh);
            toldThrough = fresh[^1].Sequence;
        }
    }
}
