using MarginOrleans.Accounts;
using MarginOrleans.Storage;
using Orleans.Concurrency;

namespace MarginOrleans.Operations;

/// <summary>
/// Visits every account in the directory and every market's insurance fund; O(accounts), an
/// operator's tool. A pass during which a fund moved is not a snapshot (a transfer may be counted
/// at its sender and again in its fund, or in neither): it is run again, and the report says how
/// many passes it took and whether the last was consistent.
/// </summary>
[StatelessWorker(1)]
public sealed class AuditGrain(AccountDirectory directory) : Grain, IAuditGrain
{
    private const int MaxPasses = 5;

    public async Task<AuditReport> Run()
    {
        for (var pass = 1; ; pass++)
        {
            var before = await InsuranceFunds.Audits(GrainFactory);
            var count = new AuditCount();
            await foreach (var accountId in directory.List())
            {
                count.Add(await GrainFactory.GetGrain<IAccountGrain>(accountId).GetLedger());
            }

            var after = await InsuranceFunds.Audits(GrainFactory);
            var still = AuditCount.Still(before, after);
            if (still || pass == MaxPasses)
            {
                return count.Report(before, after) with { Consistent = still, Passes = pass };
            }
        }
    }
}
