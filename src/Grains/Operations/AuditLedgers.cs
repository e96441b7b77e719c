using System.Diagnostics;
using MarginOrleans.Accounts;
using Orleans.Storage;

namespace MarginOrleans.Operations;

/// <summary>
/// An account's ledger for the audit, asked again while the account's silo is failing over: the
/// call fails (the silo is gone, or did not answer in time) until membership declares the silo
/// dead and the account activates on another from its stored state. Reading a ledger changes no
/// money (it settles funding owed, once), so asking again is safe. Without this, one silo's death
/// failed the whole pass: with a silo killed every 20 s, one audit took 144 s of passes started over.
/// The pauses are real time, not the engine's clock: they wait out the cluster's membership, which
/// runs on real time.
/// </summary>
public sealed class AuditLedgers(IGrainFactory grains, TimeSpan giveUpAfter)
{
    /// <summary>Longer than a silo's failover (probes time out, votes declare it dead: ~10–30 s).</summary>
    public static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    public async Task<AccountLedger> Of(string accountId)
    {
        var account = grains.GetGrain<IAccountGrain>(accountId);
        var (failing, pause) = (Stopwatch.StartNew(), FirstPause);
        while (true)
        {
            try
            {
                return await account.GetLedger();
            }
            catch (Exception e) when (FailingOver(e) && failing.Elapsed < giveUpAfter)
            {
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>
    /// A silo that died or did not answer, or a settlement's write that met the state an activation
    /// elsewhere wrote (the account moved); any other error ends the audit. The silo-side part of
    /// what the gateway answers as retry-safe (Gateway's FailoverInterceptor.StatusOf), which grains cannot reference.
    /// </summary>
    private static bool FailingOver(Exception e) => e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or InconsistentStateException;
}
