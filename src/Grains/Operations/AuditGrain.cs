using MarginOrleans.Accounts;
using MarginOrleans.Storage;
using Orleans.Concurrency;

namespace MarginOrleans.Operations;

/// <summary>
/// Visits every account in the directory and every market's insurance fund; O(accounts), an
/// operator's tool. A pass during which a fund moved is not a snapshot (a transfer may be counted
/// at its sender and again in its fund, or in neither): it is run again, and the report says how
/// many passes it took and whether the last was consistent. Accounts are read
/// <see cref="AtOnce"/> at a time, and an account whose silo fails during the pass is asked again
/// once it has moved (<see cref="AuditLedgers"/>): an operator audits during an incident too.
/// </summary>
[StatelessWorker(1)]
public sealed class AuditGrain(AccountDirectory directory) : Grain, IAuditGrain
{
    private const int MaxPasses = 5;

    /// <summary>Ledgers asked for at once: an account activating from storage (after a failover, or idle) costs its reads' round trips, which one at a time add up.</summary>
    private const int AtOnce = 32;

    public async Task<AuditReport> Run()
    {
        var ledgers = new AuditLedgers(GrainFactory, AuditLedgers.FailoverBound);
        for (var pass = 1; ; pass++)
        {
            var before = await InsuranceFunds.Audits(GrainFactory);
            var count = await Accounts(ledgers);
            var after = await InsuranceFunds.Audits(GrainFactory);
            var still = AuditCount.Still(before, after);
            if (still || pass == MaxPasses)
            {
                return count.Report(before, after) with { Consistent = still, Passes = pass };
            }
        }
    }

    /// <summary>
    /// Every account's ledger added, <see cref="AtOnce"/> asked at a time; the awaits resume on this
    /// activation's scheduler, so the count is added to one turn at a time. The first that fails ends the pass.
    /// </summary>
    private async Task<AuditCount> Accounts(AuditLedgers ledgers)
    {
        var count = new AuditCount();
        await foreach (var accounts in directory.List().Chunk(AtOnce))
        {
            foreach (var ledger in await Task.WhenAll(accounts.Select(ledgers.Of)))
            {
                count.Add(ledger);
            }
        }

        return count;
    }
}
