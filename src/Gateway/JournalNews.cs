using MarginOrleans.Accounts;

namespace MarginOrleans.Gateway;

/// <summary>
/// What a watcher of an account hears from <see cref="JournalFeed"/>: rows pushed (possibly none),
/// the highest sequence the gateway knows the account has journaled — a watcher short of it missed
/// a push and reads the journal — and, now and then, the account's view for its margin calls.
/// </summary>
public sealed record JournalNews(IReadOnlyList<JournalEntry> Rows, long Tip, AccountView? View = null);
