using MarginOrleans.Storage;

namespace MarginOrleans.Accounts;

/// <summary>
/// Request ids beyond the window (docs/architecture.md, Request ids): once the window has forgotten
/// an id, a new one is not looked up — a point read per command would halve a busy account's rate.
/// The command's first account batch inserts the id's row only if absent instead, before any effect
/// outside the account (an isolated command's intent; any other's own batch). Only a repeated old id
/// finds its row there: that batch writes nothing, the account reads its state and the row again,
/// and the command runs once more on them, answered by the row.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>Ids of the commands running now that were not looked up: their first batch claims their row.</summary>
    private readonly HashSet<string> unclaimed = [];

    /// <summary>The row of an id whose claim found it there, for the command's second run.</summary>
    private RequestRecord? known;

    private RequestLog Requests => new(Account, requestId => Stored(requestId, claim: true));

    /// <summary>
    /// The reply this request id already has (<see cref="RequestLog.Earlier"/>). With <paramref name="claim"/>,
    /// an id beyond the window is claimed by the command's first batch instead of read, where that batch is
    /// atomic with the state (memory storage writes rows after the state, so it reads the row).
    /// </summary>
    private Task<CommandResult?> Earlier(string requestId, bool claim = true) =>
        new RequestLog(Account, id => Stored(id, claim)).Earlier(requestId, fingerprint);

    private Task<RequestRecord?> Stored(string requestId, bool claim)
    {
        if (known?.RequestId == requestId)
        {
            return Task.FromResult<RequestRecord?>(known);
        }

        if (!claim || !journal.WrittenWithState)
        {
            return journal.FindRequest(Id, requestId);
        }

        unclaimed.Add(requestId);
        return Task.FromResult<RequestRecord?>(null);
    }

    /// <summary>Runs a command under its request id; if its claim finds the id's row, runs it again on the stored state, answered by the row.</summary>
    private async Task<CommandResult> Once(string requestId, Func<Task<CommandResult>> command)
    {
        try
        {
            return await command();
        }
        catch (RequestIdTaken taken) when (taken.RequestId == requestId)
        {
            // Memory holds the command's effects and storage none: the write's failure already ended the
            // activation once idle (its published bands and orders are re-published at the next start).
            await state.ReadStateAsync();
            // Memory is storage again: a booking it held is settled anew from the intent, and rows the
            // watchers were told of may come back under other sequences, so they are told again.
            (bookedUnwritten, toldThrough) = (false, Account.JournalSequence);
            known = await journal.FindRequest(Id, requestId);
            Invariant.Assert(known is not null, $"request id {requestId}'s row, found by its claim, is read");
            return await command();
        }
        finally
        {
            unclaimed.Remove(requestId);
            if (known?.RequestId == requestId)
            {
                known = null;
            }
        }
    }

    /// <summary>Marks the kept replies of unclaimed ids, about to be written, as inserted only if absent.</summary>
    private void ClaimKept()
    {
        var requests = Account.UnwrittenRequests;
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].Write == RequestRowWrite.Upsert && unclaimed.Remove(requests[i].RequestId))
            {
                requests[i] = requests[i] with { Write = RequestRowWrite.Insert };
            }
        }
    }

    /// <summary>Writes an isolated command's intent, with its request id's claim when it was not looked up; the pending command records which.</summary>
    private async Task<PendingCommand> WriteIntent(PendingCommand pending)
    {
        var claim = unclaimed.Remove(pending.RequestId) ? RequestRecord.Claim(pending.RequestId, pending.Fingerprint) : null;
        Account.Pending = pending with { Claimed = claim is not null };
        if (claim is not null)
        {
            Account.UnwrittenRequests.Add(claim);
        }

        await state.WriteStateAsync();
        if (claim is not null)
        {
            Account.UnwrittenRequests.Remove(claim); // written: the final batch replaces it with the reply, or releases it
        }

        await FlushJournal(); // the rows of a booking it carried
        return Account.Pending;
    }
}
