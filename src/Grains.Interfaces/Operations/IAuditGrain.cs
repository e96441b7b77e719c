namespace MarginOrleans.Operations;

/// <summary>Sums every account's ledger and the insurance fund (key "USDT").</summary>
[Alias("IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    [Alias("Run")]
    Task<AuditReport> Run();
}
