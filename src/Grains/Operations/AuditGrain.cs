using System.Diagnostics;
using MarginOrleans.Storage;

namespace MarginOrleans.Operations;

/// <summary>
/// Visits every account in the directory and every market's insurance fund; O(accounts), an
/// operator's tool. A pass during which a fund moved is not a snapshot (a transfer may be counted
/// at its sender and again in its fund, or in neither): it is run again, and the report says how
/// many passes it took and whether the last was consistent. Accounts are read
/// <see cref="AtOnce"/> at a time, and an account whose silo fails during the pass is asked again
/// once it has moved (<see cref="AuditLedgers"/>): an operator audits during an incident too.
/// The pass's progress is saved after each directory partition (<see cref="AuditProgress"/>), so an
/// audit whose own silo dies resumes where it was when its caller asks again.
/// </summary>
public sealed class AuditGrain(
    [PersistentState("audit", MarginCluster.Storage)] IPersistentState<AuditProgress> saved,
    AccountDirectory directory,
    AuditCadence cadence,
    IFaultInjector faults,
    TimeProvider time) : Grain, IAuditGrain
{
    private const int MaxPasses = 5;

    /// <summary>Ledgers asked for at once: an account activating from storage (after a failover, or idle) costs its reads' round trips, which one at a time add up.</summary>
    private const int AtOnce = 32;

    /// <summary>A saved pass older than this is one its caller gave up on: the audit starts afresh.</summary>
    public static readonly TimeSpan ResumeWithin = TimeSpan.FromMinutes(10);

    public async Task<AuditReport> Run()
    {
        try
        {
            return await Passes();
        }
        catch
        {
            // Memory may hold a pass ahead of the one saved: the next call resumes from storage.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task<AuditReport> Passes()
    {
        var ledgers = new AuditLedgers(GrainFactory, AuditLedgers.FailoverBound);
        var pass = saved.RecordExists && time.GetUtcNow() - saved.State.Saved < ResumeWithin ? saved.State : new AuditProgress();
        var resumed = pass.Count.Accounts;
        while (true)
        {
            if (pass.PartsCounted == 0)
            {
                pass.Before = [.. await InsuranceFunds.Audits(GrainFactory)];
            }

            await Accounts(pass, ledgers);
            var after = await InsuranceFunds.Audits(GrainFactory);
            var still = AuditCount.Still(pass.Before, after);
            if (still || pass.Pass == MaxPasses)
            {
                if (saved.RecordExists)
                {
                    await saved.ClearStateAsync();
                }

                return pass.Count.Report(pass.Before, after) with { Consistent = still, Passes = pass.Pass, Resumed = resumed };
            }

            pass = new AuditProgress { Pass = pass.Pass + 1 };
        }
    }

    /// <summary>
    /// Adds every account's ledger from the first partition not counted yet, <see cref="AtOnce"/>
    /// asked at a time, saving the progress after a partition once <see cref="AuditCadence.SaveEvery"/>
    /// has passed; the awaits resume on this activation's scheduler, so the count is added to one
    /// turn at a time. The first that fails ends the pass.
    /// </summary>
    private async Task Accounts(AuditProgress pass, AuditLedgers ledgers)
    {
        var parts = await directory.Parts();
        var sinceSaved = Stopwatch.StartNew();
        while (pass.PartsCounted < parts.Count)
        {
            await foreach (var accounts in directory.List(parts[pass.PartsCounted]).Chunk(AtOnce))
            {
                foreach (var ledger in await Task.WhenAll(accounts.Select(ledgers.Of)))
                {
                    pass.Count.Add(ledger);
                }
            }

            if (++pass.PartsCounted < parts.Count && sinceSaved.Elapsed >= cadence.SaveEvery)
            {
                (saved.State, pass.Saved) = (pass, time.GetUtcNow());
                await saved.WriteStateAsync();
                faults.At(FaultPoints.AuditProgressSaved, this.GetPrimaryKeyString());
                sinceSaved.Restart();
            }
        }
    }
}
