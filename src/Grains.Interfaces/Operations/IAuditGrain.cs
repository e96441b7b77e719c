namespace MarginOrleans.Operations;

/// <summary>Sums every account's ledger and every insurance fund (one per market, and the shared one of before).</summary>
/// <remarks>One instance, keyed by the settlement asset: <see cref="Audits.Key"/>.</remarks>
[Alias("IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>O(accounts): longer than any command may take, so it has its own response timeout.</summary>
    [Alias("Run"), ResponseTimeout("00:10:00")]
    Task<AuditReport> Run();
}

public static class Audits
{
    /// <summary>The audit's key: every balance is in this one settlement asset.</summary>
    public const string Key = "USDT";
}
