using MarginOrleans.Accounts;

namespace MarginOrleans.Gateway;

/// <summary>
/// The engine refuses new risk on a market while its liquidations are being worked off
/// (<see cref="Rejection.LiquidationsPending"/>, which keeps no request id). A trader on the API sees
/// the open held instead: the same request is sent again, holding no grain between tries — so the
/// trader's own liquidation and journal reports are never queued behind it — for at most
/// <see cref="MaxWait"/>, long enough for an owner lost with its silo to be woken again (5 s timeout,
/// 1 s timer); after that the refusal itself is the answer. The rule is the engine's; this only waits.
/// </summary>
public static class HeldOpens
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The first pause, doubled after each refusal up to <see cref="LongestPause"/>: each try is a command on the account.</summary>
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    public static async Task<CommandResult> Send(Func<Task<CommandResult>> open, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var (pause, held) = (FirstPause, false);
        var result = await open();
        while (result.Result.Reason == Rejection.LiquidationsPending && time.GetElapsedTime(start) + pause < MaxWait)
        {
            held = true;
            await Task.Delay(pause, time, cancellationToken);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            result = await open();
        }

        if (held)
        {
            GatewayMetrics.OpensHeld.Record((long)time.GetElapsedTime(start).TotalMilliseconds);
        }

        return result;
    }
}
