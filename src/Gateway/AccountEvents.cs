using System.Runtime.CompilerServices;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway;

/// <summary>
/// A trader's live events, from the account's journal — the record every money movement already
/// writes exactly once, numbered without gaps — so a stream resumed from a sequence repeats nothing
/// and skips nothing. Rows come pushed (<see cref="JournalFeed"/>): a watcher first reads the journal
/// from its sequence, then takes pushed rows in order, dropping those it has and reading the journal
/// again when the tip shows a row it has not had (a push lost or dropped). Margin calls are the
/// account's (<see cref="Accounts.AccountView.MarginCalls"/>), from the views the feed reads, sent
/// once per call: again only after the ratio has fallen back below it. The same events feed gRPC,
/// server-sent events and WebSocket.
/// </summary>
public static class AccountEvents
{
    private const int Page = 500;

    /// <summary>
    /// Events until the caller cancels or <paramref name="stillAllowed"/> throws; a null between
    /// them means "nothing new, key checked" (at least every <see cref="JournalFeed.Tick"/>), for a
    /// door that sends heartbeats. <paramref name="stillAllowed"/> runs on every news, so a revoked
    /// key ends its stream as soon as the gateway's key cache lets any other call of that key fail
    /// (Unauthenticated). <paramref name="cancel"/> ends the waits; the caller's writes are its own.
    /// </summary>
    public static async IAsyncEnumerable<AccountEvent?> Watch(IAccountGrain account, JournalFeed feed, long fromSequence, Func<Task> stillAllowed,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        using var watch = await feed.Open(account.GetPrimaryKeyString());
        var next = fromSequence > 0 ? fromSequence : watch.Tip + 1;
        var called = new HashSet<string>(StringComparer.Ordinal); // ratios at or above the call: "" is the cross account
        var news = new JournalNews([], watch.Tip);
        while (true)
        {
            await stillAllowed();
            foreach (var row in news.Rows.Where(r => r.Sequence >= next))
            {
                if (row.Sequence > next)
                {
                    break; // a gap: the journal fills it below
                }

                yield return Row(row);
                next++;
            }

            for (var more = news.Tip >= next; more;)
            {
                var rows = await account.GetJournal(next, Page);
                foreach (var row in rows.TakeWhile(r => r.Sequence == next))
                {
                    yield return Row(row);
                    next++;
                }

                more = rows.Count == Page && news.Tip >= next;
            }

            if (news.View is { } view)
            {
                var calls = view.MarginCalls ?? new Dictionary<string, decimal>();
                called.IntersectWith(calls.Keys);
                foreach (var (symbol, ratio) in calls.OrderBy(c => c.Key, StringComparer.Ordinal).Where(c => called.Add(c.Key)))
                {
                    yield return new AccountEvent { Sequence = next - 1, MarginCall = new MarginCall { Symbol = symbol, Ratio = Text.Of(ratio) } };
                }
            }

            yield return null;
            news = await watch.News.ReadAsync(cancel);
        }
    }

    private static AccountEvent Row(Accounts.JournalEntry row) => new() { Sequence = row.Sequence, Entry = ToApi.Journal(row) };
}
