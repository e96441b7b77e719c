namespace MarginOrleans.Operations;

/// <summary>Sums every account's ledger and every insurance fund (one per market, and the shared one of before).</summary>
[Alias("IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>O(accounts): longer than any command may take, so it has its own response timeout.</summary>
    [Alias("Run"), ResponseTimeout("00:10:00")]
    Task<AuditReport> Run();
}
