using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Operations;

/// <summary>
/// Auto-deleveraging: while the fund owes, it closes the top-ranked
/// positions on the other side of the bankrupt one at its bankruptcy price, one at a time, until
/// what it owes is covered. The ranking comes from the market's trigger shards (the figures ride
/// on the liquidation triggers): no position grain is called to rank. Each order is numbered and
/// recorded before it is sent, and its number is the account's request id, so a crash anywhere
/// re-sends the same order, which applies once; its money arrives as any transfer (<see cref="Apply"/>).
/// </summary>
public sealed partial class InsuranceFundGrain
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(10);

    /// <summary>How many of each shard's queue to read at a time: an order rarely needs more than a few positions.</summary>
    private const int QueueRead = 16;

    private bool deleveraging;
    private IGrainTimer? retry;

    /// <summary>Owners asked in this pass that gave nothing (closed meanwhile, no longer in profit): not asked again until the next pass.</summary>
    private readonly HashSet<string> asked = new(StringComparer.Ordinal);

    public Task Resume() => Task.CompletedTask;

    /// <summary>What auto-deleveraging can collect, oldest first.</summary>
    private IEnumerable<Shortfall> Collectable => state.State.Owed > 0m ? state.State.Shortfalls.Where(s => s.CanDeleverage) : [];

    private void StartDeleveraging()
    {
        if (deleveraging || (state.State.Step is null && !Collectable.Any()))
        {
            if (!deleveraging && state.State.Step is null && state.State.Owed == 0m)
            {
                retry?.Dispose(); // paid off by money that came in
                retry = null;
            }

            return;
        }

        // Kept alive while it owes; retried every few seconds when nobody can pay right now.
        retry ??= this.RegisterGrainTimer(() => { asked.Clear(); StartDeleveraging(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(RetryEvery, RetryEvery) { KeepAlive = true });
        deleveraging = true;
        Deleverage().Ignore();
    }

    private async Task Deleverage()
    {
        try
        {
            while ((state.State.Step ?? await NextStep()) is { } step)
            {
                // Sent only once durable: a step whose write failed is written again first (never sent from memory alone).
                commit.Changed();
                await commit.Durable();
                var key = TriggerKey.Parse(step.Owner);
                var order = new DeleverageOrder(step.Side, step.Needed, step.PerUnit, step.BankruptcyPrice, RequestId(step), Fund);
                var result = await GrainFactory.GetGrain<IAccountGrain>(key.AccountId).Deleverage(RequestId(step), key.LegOn(step.Symbol), order);
                if (result.Result.IsOk && state.State.Step is { Paid: false })
                {
                    // Done but its money not here yet (a silo lost on the way): wake the position to
                    // deliver it; the same order is asked again later, and nobody else meanwhile.
                    if (key.Owner == TriggerOwnerKind.Position)
                    {
                        TriggerOwners.Wake(GrainFactory, step.Symbol, key);
                    }

                    return;
                }

                if (!result.Result.IsOk)
                {
                    // It may have ranked an entry its owner no longer holds (a row whose removal a crash lost,
                    // which the mark does not cross): woken for it, the owner removes it, so it is not ranked again.
                    asked.Add(step.Owner);
                    TriggerOwners.Wake(GrainFactory, step.Symbol, key);
                }

                state.State.Step = null;
                commit.Changed();
                await commit.Durable();
            }
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Auto-deleveraging of fund {Fund} interrupted; retried in {Retry}", Fund, RetryEvery);
        }
        finally
        {
            deleveraging = false;
            if (state.State.Owed == 0m && state.State.Step is null)
            {
                retry?.Dispose();
                retry = null;
            }
        }
    }

    /// <summary>
    /// The next order: for the oldest shortfall whose market has somebody on the other side in profit
    /// not yet asked, the best-ranked of them (a shortfall nobody can pay now does not block the next).
    /// </summary>
    private async Task<DeleverageStep?> NextStep()
    {
        foreach (var shortfall in Collectable.ToList())
        {
            if (await Best(shortfall) is { } best && state.State.Step is null && state.State.Shortfalls.Contains(shortfall))
            {
                return Record(shortfall, best);
            }
        }

        return null;
    }

    private async Task<DeleverageCandidate?> Best(Shortfall shortfall)
    {
        if (await GrainFactory.GetGrain<IMarketGrain>(shortfall.Symbol).GetSnapshot() is not { } market)
        {
            return null;
        }

        var queues = await Task.WhenAll(GrainFactory.All(market.Spec).Select(shard => shard.RankDeleverage(shortfall.Counterparty, QueueRead + asked.Count)));
        return queues.SelectMany(q => q).Where(c => !asked.Contains(c.Owner)).OrderByDescending(c => c.Score).FirstOrDefault();
    }

    /// <summary>Numbers the order and puts it in the state; the loop writes it before sending it.</summary>
    private DeleverageStep Record(Shortfall shortfall, DeleverageCandidate best)
    {
        var (f, side) = (state.State, shortfall.Counterparty);
        var step = new DeleverageStep(++f.DeleverageSteps, best.Owner, shortfall.Id, side, Math.Min(f.Owed, shortfall.Remaining), shortfall.PerUnit,
            shortfall.BankruptcyPrice, Symbol: shortfall.Symbol);
        f.Step = step;
        EngineMetrics.Deleveraged.Add(1);
        return step;
    }

    private string Fund => this.GetPrimaryKeyString();

    /// <summary>Reserved for the engine (the gateway refuses the prefix): the fund, then the step's number.</summary>
    private string RequestId(DeleverageStep step) => $"{DeleveragePrefix}{Fund}:{step.Number}";

    /// <summary>The start of every auto-deleveraging request id, and of the transfer that pays it (which the account names after it).</summary>
    internal const string DeleveragePrefix = EngineRequestIds.Prefix + "adl:";
}
