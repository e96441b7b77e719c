namespace MarginOrleans.Accounts;

/// <summary>
/// A command's request id, what it asked for, and its reply: kept durably for as long as the
/// journal. A claim (<see cref="RequestRowWrite.Insert"/>) has no reply yet: the command is still
/// on its way (<see cref="Claim"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("RequestRecord")]
public sealed record RequestRecord(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] CommandResult? Result,
    [property: Id(3)] RequestRowWrite Write = RequestRowWrite.Upsert)
{
    /// <summary>The row of an id the window forgot ids before, written with an isolated command's intent: inserted only if absent.</summary>
    public static RequestRecord Claim(string requestId, string fingerprint) => new(requestId, fingerprint, null, RequestRowWrite.Insert);

    /// <summary>The claim of a command that ended keeping no id, taken back: the id is free again.</summary>
    public static RequestRecord Release(string requestId) => new(requestId, "", null, RequestRowWrite.Delete);
}
