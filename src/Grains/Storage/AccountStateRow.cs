using Azure.Data.Tables;
using MarginOrleans.Accounts;
using Orleans.Serialization;

namespace MarginOrleans.Storage;

/// <summary>
/// An account's state as one row of its journal partition (<see cref="Key"/>), so that the state,
/// the journal rows and the request ids a command commits go in one entity-group transaction. The
/// state is Orleans' binary format split over columns of at most 64 KB (a table property's limit).
/// Journal rows and request ids the state commits are rows of their own in the same batch, so the
/// state row holds only those that did not fit in it (<see cref="Of"/>'s <c>left</c>): written just
/// after the batch, and again by whoever reads the row before the next write.
/// </summary>
public static class AccountStateRow
{
    /// <summary>'!' sorts before every digit: the row stays out of a journal page's range, as request rows do.</summary>
    public const string Key = "!account";

    public static TableEntity Of(string accountId, AccountState state, Serializer serializer, (List<JournalEntry> Journal, List<RequestRecord> Requests) left)
    {
        // The other rows travel in the batch beside this one; the lists stay whole in memory for the grain's watchers.
        var (journal, requests) = (state.UnwrittenJournal, state.UnwrittenRequests);
        byte[] bytes;
        try
        {
            (state.UnwrittenJournal, state.UnwrittenRequests) = left;
            bytes = serializer.SerializeToArray(state);
        }
        finally
        {
            (state.UnwrittenJournal, state.UnwrittenRequests) = (journal, requests);
        }

        return StateColumns.Row(accountId, Key, bytes, $"account {accountId}");
    }

    public static AccountState Read(TableEntity row, Serializer serializer) =>
        serializer.Deserialize<AccountState>(StateColumns.Bytes(row)) ?? throw new InvalidOperationException($"account {row.PartitionKey}'s state row holds no state");
}
