using System.Collections.Concurrent;
using System.Diagnostics;
using MarginOrleans.Markets;

namespace MarginOrleans.Gateway;

/// <summary>
/// Liquidations before new risk: while a market's shards have woken owners that have
/// not answered, an open on that market waits here — at the edge, holding no grain, so the
/// trader's own liquidation and journal reports are never queued behind it. The wait is bounded:
/// long enough for an owner lost with its silo to be woken again (5 s timeout, 1 s timer), so a
/// backlog stuck on a dead silo delays opens by at most <see cref="MaxWait"/>; it never stops trading.
/// </summary>
public sealed class LiquidationGate(IGrainFactory grains)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>How often a waiting open looks again; also how long one read of a market's backlog serves every caller.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, (long At, Task<int> Backlog)> backlogs = new(StringComparer.Ordinal);

    public async Task BeforeOpen(string symbol, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var held = false;
        while (await Backlog(symbol) > 0 && Stopwatch.GetElapsedTime(start) < MaxWait)
        {
            held = true;
            await Task.Delay(Poll, cancellationToken);
        }

        if (held)
        {
            GatewayMetrics.OpensHeld.Record((long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    private Task<int> Backlog(string symbol)
    {
        var now = Stopwatch.GetTimestamp();
        var read = backlogs.AddOrUpdate(symbol, _ => (now, Read(symbol)),
            (_, last) => Stopwatch.GetElapsedTime(last.At, now) < Poll ? last : (now, Read(symbol)));
        return read.Backlog;
    }

    // An unknown symbol reads as no backlog: the account refuses the order with its own precise status.
    private async Task<int> Read(string symbol) =>
        (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())?.Backlog ?? 0;
}
