using MarginOrleans.Silo;

namespace MarginOrleans.Tests.Support;

/// <summary>Fresh markets and funded accounts with random keys, and the conservation audit, for grain scenarios.</summary>
public sealed class Trading(IGrainFactory grains)
{
    public IGrainFactory Grains => grains;

    public static string RequestId() => Guid.NewGuid().ToString("N");

    public static string NewSymbol() => "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "-USDT";

    /// <summary>A market on the example bracket table (docs/margin-math.md): tick 0.1, lot 0.001, taker fee 0.05%.</summary>
    public async Task<string> Market(decimal mark, int shards = MarketSpec.DefaultTriggerShards) => await Market(mark, NewSymbol(), shards);

    /// <summary>The same market under a symbol of the caller's: a seeded run names its markets after its seed.</summary>
    public async Task<string> Market(decimal mark, string symbol, int shards = MarketSpec.DefaultTriggerShards)
    {
        var created = await grains.GetGrain<IMarketGrain>(symbol).Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, shards));
        Assert.True(created.IsOk, created.Detail);
        await Price(symbol, mark);
        return symbol;
    }

    public async Task<PriceUpdate> Price(string symbol, decimal mark)
    {
        var update = await grains.GetGrain<IMarketGrain>(symbol).PublishPrice(mark, mark);
        Assert.True(update.Result.IsOk, update.Result.Detail);
        return update;
    }

    public Task<IAccountGrain> Account(decimal deposit) => Account(deposit, "acc-" + Guid.NewGuid().ToString("N")[..12], RequestId());

    /// <summary>The same account under a key and request ids of the caller's: a seeded run names them after its seed.</summary>
    public async Task<IAccountGrain> Account(decimal deposit, string key, string requestId)
    {
        var account = grains.GetGrain<IAccountGrain>(key);
        Assert.True((await AssumedNew.Call(account, () => account.Create(requestId + "-create"))).Result.IsOk); // as the gateway creates
        Assert.True((await account.Deposit(requestId + "-deposit", deposit)).Result.IsOk);
        return account;
    }

    public static async Task<CommandResult> Open(IAccountGrain account, string symbol, PositionSide side, decimal quantity, int leverage)
    {
        var result = await account.OpenPosition(RequestId(), new OpenOrder(symbol, side, quantity, leverage, null));
        Assert.True(result.Result.IsOk, result.Result.Detail);
        return result;
    }

    public static async Task Mode(IAccountGrain account, string symbol, MarginMode mode)
    {
        var result = await account.SetMarginMode(RequestId(), symbol, mode);
        Assert.True(result.Result.IsOk, result.Result.Detail);
    }

    /// <summary>A market's own insurance fund.</summary>
    public Task<InsuranceFundView> Fund(string symbol) => grains.GetGrain<IInsuranceFundGrain>(symbol).Get();

    /// <summary>Σ wallets + Σ isolated margins + fund + house = Σ deposits − Σ withdrawals, exactly, with nothing in flight.</summary>
    public async Task<AuditReport> AssertConserved()
    {
        var report = await grains.GetGrain<IAuditGrain>(Audits.Key).Run();
        Assert.Equal(0m, report.InFlight);
        Assert.Equal(0m, report.Discrepancy);
        return report;
    }

    /// <summary>
    /// Waits until the market's shards report every woken owner answered: a liquidation the account
    /// already shows may still be counted for a moment, and until then new risk there is refused.
    /// </summary>
    public async Task LiquidationsWorkedOff(string symbol)
    {
        var market = grains.GetGrain<IMarketGrain>(symbol);
        for (var round = 0; round < 12; round++)
        {
            await Quiet();
            var snapshot = (await market.GetSnapshot())!;
            if (snapshot.Backlog == 0)
            {
                return;
            }

            await AnswerTimeoutPasses(symbol);
        }

        Assert.Fail($"the liquidations of {symbol} were not worked off in a minute of engine time");
    }

    /// <summary>
    /// Moves the engine clock past the first answer timeout (5 s; it doubles per unanswered wake-up):
    /// an owner woken and silent since is asked again at its shard's next timer tick. A call to each
    /// shard is answered after its tick began, so the quiet after this includes every re-wake.
    /// </summary>
    public async Task AnswerTimeoutPasses(string symbol)
    {
        var spec = (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Spec;
        TestClock.Of(grains).Advance(TimeSpan.FromSeconds(5));
        await Task.WhenAll(grains.All(spec).Select(shard => shard.RankDeleverage(PositionSide.Long, 1)));
    }

    /// <summary>Completes once the engine is quiet: every effect of the calls answered so far has landed.</summary>
    public Task Quiet() => EngineActivity.Of(grains).Quiet.WaitAsync(TimeSpan.FromSeconds(60)); // a deadline on the signal, not a poll

    /// <summary>
    /// Waits until the engine is quiet — every call between grains handled, one-way wake-ups and
    /// reports included (see <see cref="EngineActivity"/>) — and then requires <paramref name="condition"/>.
    /// Looking may itself start work (the first call after a restart activates a market, whose shards
    /// fire what the mark crosses), and a fund deleverages in a loop of its own, writing its state
    /// between calls: so while the condition is false it waits for the engine's next call, then for
    /// quiet again.
    /// </summary>
    public async Task Settled(Func<Task<bool>> condition, string what)
    {
        var activity = EngineActivity.Of(grains);
        for (var round = 0; round < 200; round++)
        {
            // Deadlines on the signals, not polls: a lost one-way call or a condition that never
            // comes fails the test instead of hanging it.
            await activity.Quiet.WaitAsync(TimeSpan.FromSeconds(60));
            var next = activity.NextCall;
            if (await condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                break; // quiet, and nothing started for 10 s: it is not coming
            }
        }

        Assert.Fail($"the engine settled without {what}");
    }

    /// <summary>The engine settled (see <see cref="Settled"/>) and then delivered every transfer in flight: the totals balance exactly.</summary>
    public async Task AssertConservedOnceSettled()
    {
        await Settled(async () => (await grains.GetGrain<IAuditGrain>(Audits.Key).Run()).InFlight == 0m, "the transfers left in flight delivered");
        await AssertConserved();
    }

    /// <summary>
    /// Awaits <paramref name="signal"/> (a journal row, an answered call, an activation gone) for a
    /// test whose subject runs on real time; fails naming <paramref name="what"/> if it has not come
    /// within <paramref name="seconds"/>: a deadline on a signal, not a poll.
    /// </summary>
    public static async Task Within(Task signal, string what, int seconds = 60)
    {
        try
        {
            await signal.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not come within {seconds} s");
        }
    }
}
