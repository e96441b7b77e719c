namespace MarginOrleans.Accounts;

/// <summary>
/// The account's exactly-once rule (docs/architecture.md, Request ids): the reply each request id
/// keeps, in the state's window and in its durable row beside the journal, and the refusal of an id
/// reused for another command. No Orleans and no storage here: the durable row is read through
/// <paramref name="stored"/>.
/// </summary>
public sealed class RequestLog(AccountState account, Func<string, Task<RequestRecord?>> stored)
{
    /// <summary>
    /// The reply to the command this request id already ran: from the window, else from its durable
    /// row (asked only once the window has forgotten an id: until then every id the account ever kept
    /// is in it; the account then answers null and claims the row with its first batch instead of
    /// reading it), so an id stays unique however many commands follow. A row without a reply (a claim)
    /// answers nothing. The same id with
    /// another command or other arguments (<paramref name="fingerprint"/>) is refused, naming the id.
    /// </summary>
    public async Task<CommandResult?> Earlier(string requestId, string fingerprint)
    {
        var (result, asked) = account.Results.TryGetValue(requestId, out var recent)
            ? (recent, account.Fingerprints.GetValueOrDefault(requestId, fingerprint))
            : HasForgotten && await stored(requestId) is { } row ? (row.Result, row.Fingerprint) : (null, "");
        if (result is { Result.IsOk: false } && !result.Result.KeepsRequestId())
        {
            return null; // kept by an older build under a looser rule: the id is free now
        }

        // The engine's own ids are made from what they ask (an order's close: symbol, kind, the
        // position's command number), so a different fingerprint there is only an older build's format.
        return result is null || asked == fingerprint || asked.Length == 0 || requestId.StartsWith(EngineRequestIds.Prefix, StringComparison.Ordinal)
            ? result
            : CommandResult.Refused(new Rejected(Rejection.RequestIdReused,
                $"request id {requestId} was already used for another command ({asked.Split('[')[0]}): use a new id"), account.WalletBalance);
    }

    /// <summary>
    /// Whether the window ever let an id go: it drops one only when it overflows, which leaves it
    /// full, so a window not full holds every id the account ever kept and a new id needs no read.
    /// </summary>
    private bool HasForgotten => account.ResultOrder.Count >= AccountState.RequestWindow;

    /// <summary>Keeps the answer if the id keeps it (<see cref="RequestIdRule"/>); true when the state changed and must be written.</summary>
    public bool Keep(string requestId, CommandResult result, string fingerprint)
    {
        if (!result.Result.IsOk && !result.Result.KeepsRequestId())
        {
            return false;
        }

        account.Remember(requestId, result, fingerprint);
        return true;
    }
}
