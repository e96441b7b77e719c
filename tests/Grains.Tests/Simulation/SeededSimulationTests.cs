using MarginOrleans.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// TigerBeetle's auditor idea: random, edge-biased commands (zero, negative, off-lot, over the
/// bracket, max leverage, price gaps past bankruptcy, mode flips, request-id replays) against
/// three accounts on two markets, and crashes: a fault armed at either half of an isolated
/// transfer fails whichever command of that account reaches it next. Prices also come from three
/// named sources (one of them sometimes 50% off), markets switch a circuit breaker on and off, so
/// fat fingers are held, and pauses let the marks go stale; large positions step down, gaps larger than the (empty) funds
/// auto-deleverage. After every step the audit must settle to an exact zero, no fund may be below
/// zero or owe while holding money, and a replayed request id must return its first result.
/// MARGIN_SIM_SEED picks another seed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SeededSimulationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Steps = 300;

    /// <summary>A seed whose run, on a quiet machine, reaches every path the simulation claims: liquidations, step-downs, ADL, stale refusals.</summary>
    private const int DefaultSeed = 2;
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task RandomCommands_NeverCreateOrDestroyMoney()
    {
        var seed = SimulationSeed.From(DefaultSeed, output);
        var names = "R" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(); // this cluster is shared: keys of its own
        var (world, journals, _) = await Simulate(fixture.Grains, fixture.Clock, fixture.Quiet, seed, names);
        var funds = await Operations.InsuranceFunds.All(trading.Grains);
        var kinds = string.Join(", ", new[] { JournalKind.Liquidation, JournalKind.PartialLiquidation, JournalKind.AutoDeleveraged }
            .Select(k => $"{k} {journals.Count(e => e.Kind == k)}"));
        output.WriteLine($"{world.Summary()}; journaled: {kinds}; funds received {funds.Sum(f => f.View.Received)}, paid {funds.Sum(f => f.View.Paid)}, "
            + $"deleveraged {funds.Sum(f => f.View.Deleveraged)}, owed {funds.Sum(f => f.View.Owed)}");
        if (seed == DefaultSeed)
        {
            // The default run must keep reaching liquidations and stale marks, or it proves less than it says.
            Assert.Contains(journals, e => e.Kind == JournalKind.Liquidation);
            Assert.True(world.Refused(Rejection.MarkPriceStale) > 0, "no command met a stale mark");
        }
    }

    /// <summary>
    /// The same seed on two fresh clusters (same keys, same starting time) writes the same journal:
    /// every account's rows with their times and sequence numbers, and every fund's movements, byte
    /// for byte. Time is the engine's clock, which only the simulation moves, and each step waits
    /// until the engine is quiet, so no wake-up races the next command.
    /// </summary>
    [Fact]
    public async Task TheSameSeed_WritesTheSameJournal_ByteForByte()
    {
        var seed = SimulationSeed.From(DefaultSeed, output);
        var first = await OnFreshCluster(seed);
        var second = await OnFreshCluster(seed);

        Assert.True(first.Length > 10_000, $"the run wrote only {first.Length} bytes");
        Assert.Equal(first, second);
    }

    private async Task<string> OnFreshCluster(int seed)
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            var (_, _, written) = await Simulate(cluster.GrainFactory, TestClock.For(prefix), () => EngineActivity.For(prefix).Quiet, seed, "SIM");
            return written;
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Runs <see cref="Steps"/> steps of seed <paramref name="seed"/> on markets and accounts named after <paramref name="names"/>; returns every account's journal and, serialized, the journals and fund movements.</summary>
    private async Task<(World World, List<JournalEntry> Journals, string Written)> Simulate(IGrainFactory grains, FakeTimeProvider clock, Func<Task> quiet, int seed, string names)
    {
        var random = new Random(seed);
        var trading = new Trading(grains);
        string[] symbols = [await trading.Market(20_000m, names + "A-USDT"), await trading.Market(1_000m, names + "B-USDT")];
        foreach (var symbol in symbols)
        {
            // Stale after a second without a price: the pauses below make the marks stale now and then.
            var market = grains.GetGrain<IMarketGrain>(symbol);
            Assert.True((await market.Update((await market.GetSnapshot())!.Spec with { StaleAfterSeconds = 1 })).IsOk);
        }

        var deposits = new[] { 5_000m, 50_000m, 20_000m, 100m };
        var accounts = new IAccountGrain[deposits.Length];
        for (var i = 0; i < deposits.Length; i++)
        {
            accounts[i] = await trading.Account(deposits[i], $"acc-{names.ToLowerInvariant()}-{seed}-{i}", $"{names}-{seed}-fund-{i}");
        }

        var world = new World(grains, clock, random, symbols, accounts, $"{names}-{seed}");
        for (var step = 0; step < Steps; step++)
        {
            var command = world.Next();
            try
            {
                await command.Run();
                await Settled(grains, quiet);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"step {step} ({command.Name}) threw {e.GetType().Name}: {e.Message}; reproduce with seed={seed}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                Assert.Fail($"step {step} ({command.Name}): {e.Message}; reproduce with seed={seed}");
            }
        }

        var journals = (await Task.WhenAll(accounts.Select(a => a.GetJournal(1, 500)))).ToList();
        var funds = await Task.WhenAll(symbols.Append(Operations.InsuranceFunds.Shared).Select(f => grains.GetGrain<IInsuranceFundGrain>(f).GetAudit()));
        var written = System.Text.Json.JsonSerializer.Serialize(new { Journals = journals, Funds = funds.Select(f => f.Movements) });
        return (world, [.. journals.SelectMany(j => j)], written);
    }

    /// <summary>Triggers run as one-way calls: once the engine is quiet the totals must balance exactly.</summary>
    private static async Task Settled(IGrainFactory grains, Func<Task> quiet)
    {
        await quiet();
        var report = await grains.GetGrain<IAuditGrain>(Audits.Key).Run();
        Assert.True(report.InFlight == 0m && report.Discrepancy == 0m, $"audit did not balance: discrepancy {report.Discrepancy}, in flight {report.InFlight}");

        // A fund never goes below zero, and owes only while it holds nothing.
        var funds = await Operations.InsuranceFunds.All(grains);
        Assert.All(funds, f => Assert.True(f.View.Balance >= 0m && f.View.Owed >= 0m && (f.View.Owed == 0m || f.View.Balance == 0m), $"fund {f.Fund}: {f.View}"));
    }

    private sealed record Command(string Name, Func<Task> Run);

    /// <summary>The random command source and what the replays check against.</summary>
    private sealed class World(IGrainFactory grains, FakeTimeProvider clock, Random random, string[] symbols, IAccountGrain[] accounts, string requestIds)
    {
        private static readonly decimal[] Quantities = [0.001m, 0.01m, 0.1m, 0.5m, 1m, 3m, 4m, 0m, -1m, 0.0005m, 30_000m];
        private static readonly int[] Leverages = [1, 5, 10, 20, 50, 100, 125, 126, 0, -3];
        private static readonly decimal[] Amounts = [0.00000001m, 1m, 50m, 500m, 5_000m, 0m, -5m, 0.000000001m, 1_000_000m];
        private static readonly decimal[] Moves = [-0.20m, -0.05m, -0.02m, -0.01m, -0.001m, 0.001m, 0.01m, 0.02m, 0.05m, 0.20m];
        private static readonly string[] Sources = ["alpha", "beta", "gamma"];
        private readonly List<(IAccountGrain Account, string RequestId, Func<string, Task<CommandResult>> Call, CommandResult First)> done = [];
        private readonly Dictionary<Rejection, int> outcomes = [];
        private int crashes;
        private int requests;

        public Command Next()
        {
            var account = Pick(accounts);
            var symbol = Pick(symbols);

            // Every argument is drawn once, before the call: a replay sends the very same command
            // (the same id with other arguments is refused: RequestIdReused).
            var (amount, leverage, quantity) = (Pick(Amounts), Pick(Leverages), Pick(Quantities));
            var (mode, side, whole, defaultLeverage) = (random.Next(2) == 0 ? MarginMode.Cross : MarginMode.Isolated,
                random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short, random.Next(3) == 0, random.Next(3) == 0);

            // Weighted toward opens and price moves so that liquidations (isolated and cross) happen.
            return random.Next(37) switch
            {
                36 => new("pause", Pause), // both marks go stale: no new risk, nobody liquidated on them
                < 6 => new("price", () => Move(symbol)),
                < 9 => new("source price", () => FromSource(symbol)),
                < 10 => new("breaker", () => Breaker(symbol)),
                < 12 => new("replay", Replay),
                < 14 => Run("deposit", account, id => account.Deposit(id, amount)),
                < 15 => Run("withdraw", account, id => account.Withdraw(id, amount)),
                < 18 => Run("mode", account, id => account.SetMarginMode(id, symbol, mode)),
                < 19 => Run("leverage", account, id => account.SetLeverage(id, symbol, leverage)),
                < 20 => Run("add margin", account, id => account.AddMargin(id, symbol, amount)),
                < 21 => Run("remove margin", account, id => account.RemoveMargin(id, symbol, amount)),
                < 23 => Run("close", account, id => account.ClosePosition(id, symbol, whole ? null : quantity)),
                < 24 => Run("risk policy", account, id => account.SetRiskPolicy(id, 100 + leverage)),
                < 26 => new("crash", () =>
                {
                    TestFaults.Instance.Arm(random.Next(2) == 0 ? FaultPoints.IntentRecorded : FaultPoints.PositionApplied, account.GetPrimaryKeyString());
                    return Task.CompletedTask;
                }),
                _ => Run("open", account, id => account.OpenPosition(id, new OpenOrder(symbol, side, quantity, defaultLeverage ? null : leverage, null))),
            };
        }

        public IReadOnlyList<IAccountGrain> Accounts => accounts;

        public int Refused(Rejection reason) => outcomes.GetValueOrDefault(reason);

        public string Summary() => string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")) + $"; crashes: {crashes}";

        /// <summary>
        /// 1.1 s pass on the engine's clock. The timers that came due tick first; a call to each
        /// market and fund is answered after its grains' ticks began, and the step then waits for quiet.
        /// </summary>
        private async Task Pause()
        {
            clock.Advance(TimeSpan.FromMilliseconds(1_100));
            foreach (var symbol in symbols)
            {
                var spec = (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Spec;
                await Task.WhenAll(grains.All(spec).Select(shard => shard.RankDeleverage(PositionSide.Long, 1)));
                await grains.GetGrain<IInsuranceFundGrain>(symbol).Get();
            }
        }

        private Command Run(string name, IAccountGrain account, Func<string, Task<CommandResult>> call) => new(name, async () =>
        {
            var requestId = $"{requestIds}-{++requests}"; // seeded runs send the same ids
            CommandResult result;
            try
            {
                result = await call(requestId);
            }
            catch (InjectedFault)
            {
                crashes++; // not acknowledged: the next call to the account settles it
                return;
            }

            outcomes[result.Result.Reason] = outcomes.GetValueOrDefault(result.Result.Reason) + 1;
            if (result.Result.IsOk)
            {
                done.Add((account, requestId, call, result));
            }
        });

        private async Task Replay()
        {
            if (done.Count == 0)
            {
                return;
            }

            var (_, requestId, call, first) = Pick(done.TakeLast(AccountState.RequestWindow / 4).ToArray());
            Assert.Equal(first, await call(requestId));
        }

        /// <summary>Small steps and gaps past bankruptcy, always on the tick.</summary>
        private async Task Move(string symbol)
        {
            var market = grains.GetGrain<IMarketGrain>(symbol);
            var mark = (await market.GetSnapshot())!.MarkPrice;
            var next = Math.Max(0.1m, Math.Round(mark * (1m + Pick(Moves)), 1));
            var update = await market.PublishPrice(next, next);
            Assert.True(update.Result.IsOk, update.Result.Detail);
        }

        /// <summary>One of three named sources, near the mark or (one time in eight) 50% off it: the guarded index drops the outlier.</summary>
        private async Task FromSource(string symbol)
        {
            var market = grains.GetGrain<IMarketGrain>(symbol);
            var mark = (await market.GetSnapshot())!.MarkPrice;
            var move = random.Next(8) == 0 ? 0.5m : Pick(Moves) / 4;
            var update = await market.PublishSourcePrice(Pick(Sources), Math.Max(0.1m, Math.Round(mark * (1m + move), 1)));
            Assert.True(update.Result.IsOk, update.Result.Detail);
        }

        /// <summary>Turns the market's circuit breaker on (a 10% jump waits for a second price) or off.</summary>
        private async Task Breaker(string symbol)
        {
            var market = grains.GetGrain<IMarketGrain>(symbol);
            var spec = (await market.GetSnapshot())!.Spec;
            var updated = await market.Update(spec with { CircuitBreaker = spec.CircuitBreaker is null or 0m ? 0.1m : 0m });
            Assert.True(updated.IsOk, updated.Detail);
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
