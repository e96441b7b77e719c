using MarginOrleans.Tests.Support;
using Xunit.Abstractions;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// Issue 9: the seeded simulation against an independent model (<see cref="Model"/>). Random,
/// edge-biased isolated commands (zero, negative, off-lot, too precise, over the balance, over max
/// removable, leverage 0 and 126, reduces and flips), small price steps that liquidate, and crashes
/// armed at either half of an isolated transfer. Every command's refusal reason must be the one
/// the model predicts, and after every step each account's wallet and position (side, quantity,
/// entry, margin, leverage) must equal the model's, to the last decimal — and the audit balance.
/// MARGIN_SIM_SEED picks another seed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelSimulationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Steps = 300;
    private const int DefaultSeed = 7;

    private static readonly decimal[] Quantities = [0.001m, 0.01m, 0.1m, 0.5m, 1m, 2m, 0m, -1m, 0.0005m];
    private static readonly int?[] Leverages = [1, 5, 10, 20, 50, 100, 125, 126, 0, null, null];
    private static readonly decimal[] Amounts = [0.00000001m, 1m, 50m, 500m, 5_000m, 0m, -5m, 0.000000001m, 1_000_000m];

    /// <summary>At most 0.3% a step: less than the 0.4% between a first-bracket liquidation price and its bankruptcy price, so no deficit (no ADL).</summary>
    private static readonly decimal[] Moves = [-0.003m, -0.002m, -0.001m, 0.001m, 0.002m, 0.003m];

    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task EveryCommand_MatchesTheIndependentModel()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MARGIN_SIM_SEED"), out var s) ? s : DefaultSeed;
        output.WriteLine($"reproduce with seed={seed} (MARGIN_SIM_SEED)");
        var random = new Random(seed);
        var symbol = await trading.Market(1_000m);
        var market = trading.Grains.GetGrain<IMarketGrain>(symbol);
        var spec = (await market.GetSnapshot())!.Spec;
        Assert.True((await market.Update(spec with { Funding = new FundingSpec(InterestRate: 0m) })).IsOk); // mark = index: funding pays nothing
        var model = new Model(spec.TakerFeeRate, spec.LotSize, spec.Brackets[0].MaintenanceMarginRate, spec.LeverageMax) { Mark = 1_000m };

        var accounts = new List<(IAccountGrain Grain, Model.Trader Trader)>();
        foreach (var deposit in new[] { 5_000m, 50_000m, 500m })
        {
            accounts.Add((await trading.Account(deposit), new Model.Trader { Wallet = deposit }));
        }

        var armed = accounts.ToDictionary(a => a.Grain, _ => new HashSet<string>());
        var unsettled = new HashSet<IAccountGrain>();
        var seen = new Dictionary<Rejection, int>();
        var (liquidated, crashes) = (0, 0);
        for (var step = 0; step < Steps; step++)
        {
            var (account, trader) = accounts[random.Next(accounts.Count)];
            var (amount, quantity, leverage) = (Pick(random, Amounts), Pick(random, Quantities), Pick(random, Leverages));
            var side = random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
            if (trader.Position is { } held && held.Side == side && held.Quantity + quantity > 20m)
            {
                quantity = 0.001m; // stays in the first bracket at any mark up to 2,000
            }

            var name = "";
            try
            {
                switch (random.Next(33))
                {
                    case < 8:
                        name = "price";
                        model.Mark = Math.Clamp(Math.Round(model.Mark * (1m + Pick(random, Moves)), 1), 500m, 2_000m);
                        await trading.Price(symbol, model.Mark);
                        break;
                    case < 10:
                        name = "crash";
                        var point = random.Next(2) == 0 ? FaultPoints.IntentRecorded : FaultPoints.PositionApplied;
                        armed[account].Add(point);
                        TestFaults.Instance.Arm(point, account.GetPrimaryKeyString());
                        break;
                    case < 12:
                        name = $"deposit {amount}";
                        await Run(() => account.Deposit(RequestId(), amount), () => model.Deposit(trader, amount));
                        break;
                    case < 14:
                        name = $"withdraw {amount}";
                        await Run(() => account.Withdraw(RequestId(), amount), () => model.Withdraw(trader, amount));
                        break;
                    case < 24:
                        name = $"open {side} {quantity} at {leverage?.ToString() ?? "the symbol's"}x";
                        await Run(() => account.OpenPosition(RequestId(), new OpenOrder(symbol, side, quantity, leverage, null)), () => model.Open(trader, side, quantity, leverage));
                        break;
                    case < 27:
                        var whole = random.Next(3) == 0;
                        name = $"close {(whole ? "all" : quantity)}";
                        await Run(() => account.ClosePosition(RequestId(), symbol, whole ? null : quantity), () => model.Close(trader, whole ? null : quantity));
                        break;
                    case < 29:
                        name = $"add margin {amount}";
                        await Run(() => account.AddMargin(RequestId(), symbol, amount), () => model.AddMargin(trader, amount));
                        break;
                    case < 31:
                        name = $"remove margin {amount}";
                        await Run(() => account.RemoveMargin(RequestId(), symbol, amount), () => model.RemoveMargin(trader, amount));
                        break;
                    default:
                        var to = leverage ?? 10;
                        name = $"leverage {to}";
                        await Run(() => account.SetLeverage(RequestId(), symbol, to), () => model.SetLeverage(trader, to));
                        break;
                }

                await trading.AssertConservedOnceDelivered();
                foreach (var (_, t) in accounts.Where(a => model.Liquidates(a.Trader)))
                {
                    (t.Position, liquidated) = (null, liquidated + 1);
                }

                foreach (var (grain, t) in accounts.Where(a => !unsettled.Contains(a.Grain)))
                {
                    await AssertMatches(grain, t, symbol);
                }
            }
            catch (Xunit.Sdk.XunitException e)
            {
                Assert.Fail($"step {step} ({name}): {e.Message}; reproduce with seed={seed}");
            }

            // A command sent to the engine and the model: the same reason; a crash is not acknowledged and
            // leaves the account to settle on its next command (the position applied it, or it never arrived).
            async Task Run(Func<Task<CommandResult>> engine, Func<Rejection> predict)
            {
                var before = (trader.Wallet, trader.Leverage, trader.Position);
                var predicted = predict();
                unsettled.Remove(account);
                try
                {
                    var result = await engine();
                    Assert.True(predicted == result.Result.Reason, $"model predicted {predicted}, engine answered {result.Result.Reason}: {result.Result.Detail}");
                    seen[predicted] = seen.GetValueOrDefault(predicted) + 1;
                }
                catch (InjectedFault)
                {
                    crashes++;
                    unsettled.Add(account);
                    // With both armed, the first on the command's way fails it: the intent is recorded before the position applies.
                    if (armed[account].Remove(FaultPoints.IntentRecorded))
                    {
                        (trader.Wallet, trader.Leverage, trader.Position) = before;
                    }
                    else
                    {
                        Assert.True(armed[account].Remove(FaultPoints.PositionApplied), "a crash nobody armed");
                    }
                }
            }
        }

        output.WriteLine($"{string.Join(", ", seen.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"))}; liquidated {liquidated}; crashes {crashes}");
        if (seed == DefaultSeed)
        {
            // The default run must reach what it claims to check, or it proves less than it says.
            Assert.True(liquidated > 0 && crashes > 0, $"liquidated {liquidated}, crashes {crashes}");
            Assert.All(new[] { Rejection.None, Rejection.InsufficientBalance, Rejection.NoOpenPosition, Rejection.ExceedsMaxRemovable, Rejection.LeverageDiffersFromPosition },
                r => Assert.True(seen.ContainsKey(r), $"no command was answered {r}"));
        }
    }

    /// <summary>A liquidation is a one-way wake-up the audit cannot see coming: the engine gets up to 5 s to reach the model's state.</summary>
    private static async Task AssertMatches(IAccountGrain grain, Model.Trader t, string symbol)
    {
        for (var attempt = 0; ; attempt++)
        {
            var view = (await grain.GetAccount())!;
            var held = view.Positions.SingleOrDefault(p => p.Symbol == symbol);
            var engine = held is null ? null : new Model.Position(held.Side, held.Quantity, held.EntryPrice, held.IsolatedMargin, held.Leverage);
            if ((t.Wallet == view.WalletBalance && Equals(t.Position, engine)) || attempt == 50)
            {
                Assert.True(t.Wallet == view.WalletBalance, $"{view.AccountId}: wallet {view.WalletBalance}, model {t.Wallet}");
                Assert.True(Equals(t.Position, engine), $"{view.AccountId}: position {engine?.ToString() ?? "none"}, model {t.Position?.ToString() ?? "none"}");
                return;
            }

            await Task.Delay(100);
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
