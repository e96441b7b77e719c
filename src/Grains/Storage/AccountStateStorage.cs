using Azure;
using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Telemetry;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginOrleans.Storage;

/// <summary>
/// The silo's grain storage on Azure Table: an account's state is written with the journal rows and
/// request ids it commits in one entity-group transaction of its journal partition (one operation,
/// all or nothing: <see cref="AccountStateRow"/>), under optimistic concurrency — the state row is
/// inserted only if absent, then replaced only at the ETag last read or written. An isolated position's
/// state goes to its market's bucket (<see cref="PositionRows"/>). A request id the
/// account did not check is inserted only if absent too: if its row is there, the batch writes
/// nothing and <see cref="RequestIdTaken"/> names the id. Every other state
/// goes to Orleans' own table storage (<paramref name="rows"/>), as does an account's read while its
/// state has no row here yet, in an installation that may hold state stored before (<see cref="StateStoredBefore"/>):
/// it lives there, is read through once, and moves here with its next write (its rows still unwritten
/// are written at that read). A grain its caller says is new (<see cref="AssumedNew"/>) is not read at all,
/// nor a fund's Orleans row where none can have been stored before.
/// </summary>
public sealed class AccountStateStorage(IGrainStorage rows, Tables tables, JournalStore journal, Serializer serializer, StateStoredBefore before, PositionRows positions) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState is not IGrainState<AccountState> account)
        {
            // A fund never writes Orleans' row (its rows are its own: FundRows), so one lies there only if stored before.
            if (AssumedNew.Said(grainId) || (grainState is IGrainState<InsuranceFundState> && !before.Possible))
            {
                (grainState.ETag, grainState.RecordExists) = (null, false); // the fresh state it starts from; its first write inserts
                return;
            }

            if (grainState is IGrainState<IsolatedPositionState> position)
            {
                await positions.Read(stateName, grainId, position);
                return;
            }

            await rows.ReadStateAsync(stateName, grainId, grainState);
            return;
        }

        // Not where an account's state may lie in Orleans' rows: its first write here would not see it.
        if (AssumedNew.Said(grainId) && !before.Possible)
        {
            (account.State, account.ETag, account.RecordExists) = (new AccountState { Assumed = true }, null, false);
            return;
        }

        var accountId = grainId.Key.ToString()!;
        var table = await tables.Get(Tables.Journal, accountId);
        NullableResponse<TableEntity> found;
        using (StorageCounter.Labelled(table.Name, "account state read"))
        {
            found = await table.GetEntityIfExistsAsync<TableEntity>(accountId, AccountStateRow.Key);
        }

        if (found.HasValue)
        {
            (account.State, account.ETag, account.RecordExists) = (AccountStateRow.Read(found.Value!, serializer), found.Value!.ETag.ToString(), true);
        }
        else
        {
            if (before.Possible)
            {
                await rows.ReadStateAsync(stateName, grainId, account);
            }

            account.State ??= new AccountState();
            account.ETag = null; // no row here yet: the next write inserts it
        }

        // Rows a state still holds unwritten (one of more rows than a batch takes, or stored before) are written now: upserts, harmless twice.
        await journal.Write(accountId, account.State.UnwrittenJournal, account.State.UnwrittenRequests);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState is not IGrainState<AccountState> account)
        {
            await (grainState is IGrainState<IsolatedPositionState> position ? positions.Write(grainId, position) : rows.WriteStateAsync(stateName, grainId, grainState));
            return;
        }

        var accountId = grainId.Key.ToString()!;
        Invariant.Assert(account.State is not null, $"account {accountId} writes a state");
        var (entries, requests) = (account.State!.UnwrittenJournal, account.State.UnwrittenRequests);

        // A request id's claim or release must be in the batch: an id's row inserted only if absent
        // (the id unchecked: a read per command would cost more) stands for the command's effects.
        var exact = requests.Where(r => r.Write != RequestRowWrite.Upsert).ToList();
        var upserted = requests.Where(r => r.Write == RequestRowWrite.Upsert).ToList();
        var room = PartitionBatch.Max - 1 - exact.Count; // the state row and up to 99 others
        Invariant.Assert(room >= 0, $"account {accountId}'s claims fit in one batch");

        // Rare: more rows than the batch holds beside the state. Those left over stay listed in the state row
        // and are upserted after it: never before, where a refused write would leave rows of a state not stored.
        var fitting = Math.Min(entries.Count, room);
        (List<JournalEntry> Journal, List<RequestRecord> Requests) left = (entries[fitting..], upserted[Math.Min(upserted.Count, room - fitting)..]);
        var others = journal.Rows(accountId, entries[..fitting], upserted[..(upserted.Count - left.Requests.Count)]).ToList();
        var state = AccountStateRow.Of(accountId, account.State, serializer, left);
        TableTransactionAction[] batch =
        [
            account.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, new ETag(etag))
                : new TableTransactionAction(TableTransactionActionType.Add, state),
            .. exact.Select(request => journal.RequestAction(accountId, request)),
            .. others.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)),
        ];
        var table = await tables.Get(Tables.Journal, accountId);
        try
        {
            using var counted = StorageCounter.Labelled(table.Name, "account batch");
            using var weighed = StorageAdmission.Rows(batch.Length);
            var written = await table.SubmitTransactionAsync(batch);
            (account.ETag, account.RecordExists, account.State.Assumed) = (written.Value[0].Headers.ETag?.ToString(), true, false);
        }
        catch (TableTransactionFailedException failed) when (failed.Status is 409 or 412 && failed.FailedTransactionActionIndex is null or 0)
        {
            throw new InconsistentStateException($"account {accountId}'s state was written by another activation ({failed.ErrorCode})", account.ETag ?? "", "unknown");
        }
        catch (TableTransactionFailedException failed) when (failed.Status == 409 && failed.FailedTransactionActionIndex is { } index
            && index <= exact.Count && exact[index - 1].Write == RequestRowWrite.Insert)
        {
            throw new RequestIdTaken(accountId, exact[index - 1].RequestId);
        }

        JournalStore.CountRows(table, [.. batch[1..].Where(a => a.ActionType != TableTransactionActionType.Delete).Select(a => (TableEntity)a.Entity)]);
        EngineMetrics.StorageRows.Add(1, [new("table", table.Name), new("kind", "account state row")]);
        await journal.Write(accountId, left.Journal, left.Requests);
    }

    /// <summary>
    /// The engine never clears an account (its journal is kept for good) nor a position (its event
    /// numbers name its fund transfers); any other state clears as Orleans does.
    /// </summary>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => grainState is IGrainState<AccountState> or IGrainState<IsolatedPositionState>
        ? throw new InvalidOperationException($"{grainId} is never cleared: its rows are kept for good")
        : rows.ClearStateAsync(stateName, grainId, grainState);
}
