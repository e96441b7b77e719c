namespace MarginOrleans.Operations;

/// <summary>Sums every account's ledger and every insurance fund (one per market, and the shared one of before).</summary>
[Alias("IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    [Alias("Run")]
    Task<AuditReport> Run();
}
