namespace MarginOrleans.Storage;

/// <summary>
/// An account's batch inserted a request id's row only if absent (<see cref="Accounts.RequestRowWrite.Insert"/>),
/// and the row was there: the id ran before, beyond the window. Nothing of the batch was written (an
/// entity-group transaction is all or nothing); the account answers from the row. An Orleans exception,
/// as a write conflict is, so the grain's state storage hands it on unwrapped.
/// </summary>
[GenerateSerializer, Alias("RequestIdTaken")]
public sealed class RequestIdTaken(string accountId, string requestId)
    : OrleansException($"account {accountId} already has a row for request id {requestId}")
{
    [Id(0)] public string RequestId { get; init; } = requestId;
}
