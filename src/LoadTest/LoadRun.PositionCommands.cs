using System.Diagnostics;
using Spectre.Console;

namespace MarginOrleans.LoadTest;

/// <summary>The run's position commands before the walk (--position-commands): each kind's storage operations under load.</summary>
public sealed partial class LoadRun
{
    /// <summary>
    /// Sends each position command to every long, one kind after another (<see cref="PositionStep"/>),
    /// and counts the storage operations of each kind, up to the quiet after it (a shard's deferred removals
    /// included); a reopened long's liquidation price is the one the walk expects. Returns the last quiet reading.
    /// </summary>
    private async Task<Probes.Reading> SendPositionCommands(ProgressContext progress, string symbol, (Trader Trader, decimal LiquidationPrice)[] traders, CancellationToken cancel)
    {
        var settling = settings.FundingSeconds > 0;
        if (settling)
        {
            await PassFundingTime(symbol, cancel);
        }

        var start = await probes.Quiet();
        foreach (var step in Enum.GetValues<PositionStep>())
        {
            var shown = progress.AddTask($"{StepFigure.NameOf(step)}: every long", maxValue: traders.Length);
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, traders.Length, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancel }, async (i, _) =>
            {
                if (traders[i].Trader is { } trader && step == PositionStep.Reopen)
                {
                    traders[i] = (trader, await Retried(() => target.OpenLong(trader, symbol, Quantity(i), Leverage(i), "/" + step)));
                }
                else if (traders[i].Trader is { } sent)
                {
                    await Retried(async () => { await target.Send(sent, symbol, step, step == PositionStep.RemoveMargin && settling ? StepFigure.Margin / 2 : StepFigure.Margin); return 0; });
                }

                shown.Increment(1);
            });
            var seconds = clock.Elapsed.TotalSeconds;
            var end = await probes.Quiet();
            var sentTo = traders.Count(t => t.Trader is not null);
            report.PositionSteps.Add(new StepFigure(step, sentTo, seconds, (double)(end.StorageOperations - start.StorageOperations) / sentTo,
                end.Operations.ToDictionary(o => o.Key, o => (double)(o.Value - start.Operations.GetValueOrDefault(o.Key)) / sentTo),
                SettlesFunding: settling && step == PositionStep.AddMargin));
            start = end;
        }

        return start;
    }

    /// <summary>
    /// Waits out the market's next funding time and publishes a tick past it, which moves the
    /// market's funding index (the mark unchanged, the index the same: the longs pay the interest
    /// rate); every long then owes a payment its next command, an add margin, settles.
    /// </summary>
    private async Task PassFundingTime(string symbol, CancellationToken cancel)
    {
        var next = await Retried(() => target.NextFundingTime(symbol));
        if (next - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(100), cancel);
        }

        await Retried(() => target.PublishPrice(symbol, LoadMarket.Start));
    }
}
