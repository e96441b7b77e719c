using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway;

/// <summary>
/// A trader's live events, read from the account's journal — the record every money movement
/// already writes exactly once, numbered without gaps — so a stream resumed from a sequence
/// repeats nothing and skips nothing. Margin calls are the account's (<see cref="Accounts.AccountView.MarginCalls"/>),
/// read on each pass and sent once per call: again only after the ratio has fallen back below it.
/// </summary>
public static class AccountEvents
{
    private const int Page = 500;

    /// <summary>How often a caught-up stream reads again: one journal page and one account view per watcher.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Streams until the caller cancels or <paramref name="stillAllowed"/> throws: it is asked on
    /// every read, so a revoked key ends its open stream as soon as the gateway's key cache lets
    /// any other call of that key fail (Unauthenticated). <paramref name="cancel"/> ends the waits,
    /// never a write: gRPC resets a stream whose write is cancelled (CANCEL), where a stream that
    /// ends between writes gets its status; a caller that goes away fails the write anyway.
    /// </summary>
    public static async Task Stream(IAccountGrain account, long fromSequence, Func<Task> stillAllowed, IServerStreamWriter<AccountEvent> writer, TimeProvider time, CancellationToken cancel)
    {
        var next = fromSequence > 0 ? fromSequence : ((await account.GetAccount())?.JournalSequence ?? 0) + 1;
        var called = new HashSet<string>(StringComparer.Ordinal); // ratios at or above the call: "" is the cross account
        while (!cancel.IsCancellationRequested)
        {
            await stillAllowed();
            var rows = await account.GetJournal(next, Page);
            foreach (var row in rows)
            {
                await writer.WriteAsync(new AccountEvent { Sequence = row.Sequence, Entry = ToApi.Journal(row) });
                next = row.Sequence + 1;
            }

            if (await account.GetAccount() is { } view)
            {
                var calls = view.MarginCalls ?? new Dictionary<string, decimal>();
                called.IntersectWith(calls.Keys);
                foreach (var (symbol, ratio) in calls.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    if (called.Add(symbol))
                    {
                        await writer.WriteAsync(new AccountEvent { Sequence = next - 1, MarginCall = new MarginCall { Symbol = symbol, Ratio = Text.Of(ratio) } });
                    }
                }
            }

            if (rows.Count < Page)
            {
                await Task.Delay(Poll, time, cancel);
            }
        }
    }
}
