using MarginOrleans.Orders;
using MarginOrleans.Tests.Support;
using Xunit.Abstractions;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// The seeded simulation of hedge mode and conditional orders against the independent model
/// (<see cref="Model"/>, Model.Orders.cs). Random, edge-biased commands on two markets: position
/// mode switches (refused while anything is open or waiting, or after flattening), commands on the
/// BOTH, LONG and SHORT legs (the wrong one for the mode too), reduce-only, isolated and cross;
/// stop, take-profit and trailing stop orders placed, amended and cancelled (entries, reduce-only,
/// close-position, leverage, good-till, bad fields, off-tick, triggers on the wrong side); the
/// engine clock moved past good-till times; marks that fire orders and liquidate; and earlier
/// request ids sent again (the same reply) or with other arguments (RequestIdReused). After every
/// step each account's wallet, legs, position mode and waiting orders equal the model's, to the
/// last decimal, and the audit balances.
/// <para>
/// A mark moves one tick at a time and stops at the first tick where anything fires or liquidates,
/// so every effect of a move is one the engine settles in one order: where an account would have
/// two orders firing at one tick, or an order firing beside a liquidation (which it would race), the
/// step cancels that account's oldest firing order instead and the mark waits.
/// </para>
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HedgeAndOrderSimulationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Steps = 800;
    private const int DefaultSeed = 2;

    /// <summary>Steps in one trend: nine moves in ten go its way, so marks travel far enough to fire orders and liquidate.</summary>
    private const int Trend = 100;

    /// <summary>Steps of the finale: each account closes its long leg on the first market, sets 125x and opens 10 there, then that mark walks down 0.3% a move.</summary>
    private const int Finale = 100;

    private static readonly decimal[] Quantities = [0.001m, 0.01m, 0.1m, 0.5m, 1m, 2m, 5m, 0m, -1m, 0.0005m];
    private static readonly decimal[] OrderQuantities = [0.001m, 0.01m, 0.1m, 0.1m, 0.5m, 0.5m, 1m, 1m, 0m, 0.0005m];
    private static readonly int?[] Leverages = [1, 5, 10, 20, 50, 100, 125, 126, 0, null, null, null];
    private static readonly decimal[] Amounts = [0.00000001m, 1m, 50m, 500m, 5_000m, 0m, -5m, 0.000000001m, 1_000_000m];
    private static readonly decimal[] Moves = [0.001m, 0.002m, 0.003m];
    private static readonly decimal[] Distances = [0.001m, 0.002m, 0.004m, 0.008m, 0.015m];
    private static readonly decimal[] CallbackRates = [0.1m, 0.2m, 0.3m, 0.5m, 1m, 0.05m, 11m];

    private readonly Trading trading = new(fixture.Grains);
    private readonly Dictionary<string, int> counts = [];
    private readonly List<Sent> sent = [];
    private readonly List<string> trace = [];
    private readonly List<IAccountGrain> grains = [];
    private readonly List<Model.Trader> traders = [];
    private Model model = null!;
    private Random random = null!;
    private string[] symbols = [];

    /// <summary>A command whose reply its request id keeps: sent again as it was, and with other arguments.</summary>
    private sealed record Sent(int Account, string RequestId, Func<string, Task<CommandResult>> Send, Func<string, Task<CommandResult>>? Other, CommandResult Reply);

    [Fact]
    public async Task HedgeAndOrders_MatchTheIndependentModel()
    {
        var seed = SimulationSeed.From(DefaultSeed, output);
        random = new Random(seed);
        symbols = [await trading.Market(1_000m), await trading.Market(200m)];
        MarketSpec spec = null!;
        foreach (var symbol in symbols)
        {
            var market = trading.Grains.GetGrain<IMarketGrain>(symbol);
            spec = (await market.GetSnapshot())!.Spec;
            Assert.True((await market.Update(spec with { Funding = new FundingSpec(InterestRate: 0m) })).IsOk); // mark = index: funding pays nothing
        }

        model = new Model(spec.TakerFeeRate, spec.LotSize, spec.Brackets[0].MaintenanceMarginRate, spec.LeverageMax) { Tick = spec.TickSize, Now = fixture.Clock.GetUtcNow() };
        (model.Marks[symbols[0]], model.Marks[symbols[1]]) = (1_000m, 200m);
        foreach (var deposit in new[] { 3_000m, 20_000m, 800m, 600m })
        {
            grains.Add(await trading.Account(deposit));
            traders.Add(Model.Trader.Funded(deposit));
        }

        // Two accounts start hedged, two in cross margin on both markets: every pair of the two choices.
        for (var i = 1; i < 3; i++)
        {
            Assert.True((await grains[i].SetPositionMode(RequestId(), PositionMode.Hedge)).Result.IsOk);
            (_, traders[i]) = Model.SetPositionMode(traders[i], hedge: true);
        }

        for (var i = 2; i < 4; i++)
        {
            foreach (var symbol in symbols)
            {
                Assert.True((await grains[i].SetMarginMode(RequestId(), symbol, MarginMode.Cross)).Result.IsOk);
                (_, traders[i]) = model.SetMode(traders[i], symbol, MarginMode.Cross);
            }
        }

        for (var step = 0; step < Steps + Finale; step++)
        {
            var finale = step - Steps;
            var a = finale >= 0 && finale < 3 * grains.Count ? finale / 3 : random.Next(grains.Count);
            var symbol = finale >= 0 ? symbols[0] : Pick(symbols);
            var name = "";
            try
            {
                name = finale < 0 ? await Step(step, a, symbol) : await Finish(finale, a, symbol);
                trace.Add($"{step} {grains[a].GetPrimaryKeyString()} {name}");
                await trading.AssertConservedOnceSettled();
                for (var i = 0; i < traders.Count; i++)
                {
                    var after = model.Liquidations(traders[i]);
                    Count("positions liquidated", traders[i].Positions.Count - after.Positions.Count);
                    Count("cross accounts liquidated", Crossed(traders[i]) && !Crossed(after) && after.Wallet == 0m ? 1 : 0);
                    Count("orders ended unfired (leg gone, expired)", traders[i].Orders.Count - after.Orders.Count);
                    traders[i] = after;
                    await AssertMatches(grains[i], traders[i]);
                }
            }
            catch (Xunit.Sdk.XunitException e)
            {
                // The last steps, each account as the model holds it and its last journal rows: enough to read a divergence without a rerun.
                foreach (var line in trace.TakeLast(12))
                {
                    output.WriteLine(line);
                }

                for (var i = 0; i < traders.Count; i++)
                {
                    output.WriteLine($"{grains[i].GetPrimaryKeyString()}: {traders[i].Wallet} {string.Join("; ", traders[i].Positions)} orders {string.Join("; ", traders[i].Orders.Values)}");
                    foreach (var row in (await grains[i].GetJournal(1, 500)).TakeLast(8))
                    {
                        output.WriteLine($"   {row}");
                    }
                }

                Assert.Fail($"step {step} ({name} by {grains[a].GetPrimaryKeyString()}): {e.Message}; reproduce with seed={seed}");
            }
        }

        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}")));
        if (seed == DefaultSeed)
        {
            // The default run must reach what it claims to check, or it proves less than it says.
            Assert.All(new[]
            {
                "orders fired, filled", "orders fired, refused (cancelled)", "trailing stops fired", "positions liquidated", "orders ended unfired (leg gone, expired)",
                "replays", "position mode switched", "cross accounts liquidated",
                $"reason {Rejection.PositionSideMismatch}", $"reason {Rejection.ReduceOnlyWouldIncrease}", $"reason {Rejection.ReduceOnlyNotApplicable}",
                $"reason {Rejection.PositionModeChangeWithOpenPosition}", $"reason {Rejection.TriggerWouldFireNow}", $"reason {Rejection.OrderUnknown}",
                $"reason {Rejection.GoodTillPassed}", $"reason {Rejection.OrderFieldsInvalid}", $"reason {Rejection.CallbackRateOutOfRange}",
                $"reason {Rejection.InsufficientBalance}", $"reason {Rejection.LeverageDiffersFromPosition}",
            }, what => Assert.True(counts.GetValueOrDefault(what) > 0, $"the run never reached: {what}"));
        }
    }

    /// <summary>One random step by account <paramref name="a"/>; returns what it was, for a failure's message.</summary>
    private async Task<string> Step(int step, int a, string symbol)
    {
        var (account, trader, mark) = (grains[a], traders[a], model.Marks[symbol]);
        var leg = PickLeg(trader, symbol);
        var side = random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
        var (amount, quantity, leverage) = (Pick(Amounts), Pick(Quantities), Pick(Leverages));
        if (trader.At(leg) is { } held && held.Side == side && (held.Quantity + quantity) * mark > 0.4m * Model.BracketCap)
        {
            quantity = 0.001m; // stays in the first bracket within 2.5× of the start price
        }

        switch (random.Next(64))
        {
            case < 18:
                return await Move(step, symbol);
            case < 20:
                var deposit = Math.Min(amount, 500m);
                await Run(a, id => account.Deposit(id, deposit), () => model.Deposit(trader, deposit), id => account.Deposit(id, deposit + 1m));
                return $"deposit {deposit}";
            case < 22:
                await Run(a, id => account.Withdraw(id, amount), () => model.Withdraw(trader, amount), id => account.Withdraw(id, amount + 1m));
                return $"withdraw {amount}";
            case < 24:
                var margin = random.Next(2) == 0 ? MarginMode.Cross : MarginMode.Isolated;
                await Run(a, id => account.SetMarginMode(id, symbol, margin), () => model.SetMode(trader, symbol, margin), id => account.SetMarginMode(id, symbol, margin == MarginMode.Cross ? MarginMode.Isolated : MarginMode.Cross));
                return $"margin mode {symbol} {margin}";
            case < 26:
                return await SwitchPositionMode(a, flatten: random.Next(2) == 0);
            case < 35:
                var reduceOnly = random.Next(6) == 0;
                var order = new OpenOrder(symbol, side, quantity, leverage, null, LegSide: leg.Side, ReduceOnly: reduceOnly);
                await Run(a, id => account.OpenPosition(id, order), () => model.Open(trader, leg, side, quantity, leverage, reduceOnly), id => account.OpenPosition(id, order with { Quantity = order.Quantity + 1m }));
                return $"open {leg} {side} {quantity} at {leverage?.ToString() ?? "the symbol's"}x{(reduceOnly ? " reduce-only" : "")}";
            case < 38:
                decimal? closed = random.Next(3) == 0 ? null : quantity;
                await Run(a, id => account.ClosePosition(id, leg, closed), () => model.Close(trader, leg, closed), id => account.ClosePosition(id, leg, (closed ?? 0m) + 1m));
                return $"close {leg} {closed?.ToString() ?? "all"}";
            case < 40:
                await Run(a, id => account.AddMargin(id, leg, amount), () => model.AddMargin(trader, leg, amount), id => account.AddMargin(id, leg, amount + 1m));
                return $"add margin {leg} {amount}";
            case < 42:
                await Run(a, id => account.RemoveMargin(id, leg, amount), () => model.RemoveMargin(trader, leg, amount), id => account.RemoveMargin(id, leg, amount + 1m));
                return $"remove margin {leg} {amount}";
            case < 44:
                var to = leverage ?? 10;

                // A refusal on a hedged isolated symbol is the refusal of one leg's own command, so the request's id keeps no reply.
                var legWise = trader.Hedge && trader.ModeOf(symbol) == MarginMode.Isolated && trader.Positions.Keys.Any(k => k.Symbol == symbol);
                await Run(a, id => account.SetLeverage(id, symbol, to), () => model.SetLeverage(trader, symbol, to), id => account.SetLeverage(id, symbol, to + 1), keptIfRefused: !legWise);
                return $"leverage {symbol} {to}";
            case < 54:
                var placed = PickOrder(trader, symbol);
                var answer = await Run(a, id => account.PlaceOrder(id, placed), () => model.Place(trader, placed), id => account.PlaceOrder(id, placed with { Quantity = placed.Quantity + 1m }));
                Count(answer.Result.IsOk ? "orders placed" : "orders refused");
                Assert.True(!answer.Result.IsOk || answer.OrderId == traders[a].OrderSequence, $"order id {answer.OrderId}, model {traders[a].OrderSequence}");
                return $"place {placed}";
            case < 57:
                var (amended, change) = PickAmendment(trader, symbol);
                await Run(a, id => account.AmendOrder(id, amended, change), () => model.Amend(trader, amended, change), id => account.AmendOrder(id, amended + 1, change));
                return $"amend {amended} {change}";
            case < 59:
                var cancelled = PickOrderId(trader);
                await Run(a, id => account.CancelOrder(id, cancelled), () => Model.Cancel(trader, cancelled), id => account.CancelOrder(id, cancelled + 1));
                return $"cancel {cancelled}";
            case < 61:
                var seconds = random.Next(1, 4);
                fixture.Clock.Advance(TimeSpan.FromSeconds(seconds));
                model.Now = fixture.Clock.GetUtcNow();
                return $"clock +{seconds}s";
            default:
                return await Replay();
        }
    }

    /// <summary>The finale, the same for every seed: a close of the long leg, 125x and a long of 10 per account, then the mark walks down.</summary>
    private async Task<string> Finish(int finale, int a, string symbol)
    {
        if (finale >= 3 * grains.Count)
        {
            return await Move(symbol, -1, Moves[^1]);
        }

        var (account, trader) = (grains[a], traders[a]);
        var leg = new LegKey(symbol, trader.Hedge ? LegSide.Long : LegSide.Both);
        switch (finale % 3)
        {
            case 0:
                await Run(a, id => account.ClosePosition(id, leg, null), () => model.Close(trader, leg, null));
                return $"close {leg}";
            case 1:
                await Run(a, id => account.SetLeverage(id, symbol, 125), () => model.SetLeverage(trader, symbol, 125), keptIfRefused: false);
                return $"leverage {symbol} 125";
            default:
                var order = new OpenOrder(symbol, PositionSide.Long, 10m, null, null, LegSide: leg.Side);
                await Run(a, id => account.OpenPosition(id, order), () => model.Open(trader, leg, PositionSide.Long, 10m, null));
                return $"open {leg} long 10";
        }
    }

    private static bool Crossed(Model.Trader t) => t.Positions.Keys.Any(k => t.ModeOf(k) == MarginMode.Cross);

    /// <summary>
    /// The mark walks a tick at a time toward a small move of its trend and stops at the first tick
    /// where anything fires or liquidates; there the orders that fire do, each by itself.
    /// </summary>
    private Task<string> Move(int step, string symbol) =>
        Move(symbol, (step / Trend % 2 == 0 ? -1 : 1) * (random.Next(10) == 0 ? -1 : 1), Pick(Moves));

    private async Task<string> Move(string symbol, int way, decimal move)
    {
        var old = model.Marks[symbol];
        var target = Math.Round(old * (1m + way * move), 1);
        var trailed = traders.ToList();
        for (var mark = old + way * model.Tick; way * (mark - target) <= 0m; mark += way * model.Tick)
        {
            model.Marks[symbol] = mark;
            trailed = [.. traders.Select(t => model.Trail(t, symbol))];
            var firing = trailed.Select(t => model.Firing(t, symbol)).ToList();
            var liquidating = trailed.Any(model.Liquidates);
            if (firing.FindIndex(f => f.Count > 1 || (f.Count > 0 && liquidating)) is var jammed and >= 0)
            {
                model.Marks[symbol] = old;
                var unjam = firing[jammed][0];
                await Run(jammed, id => grains[jammed].CancelOrder(id, unjam), () => Model.Cancel(traders[jammed], unjam));
                Count("orders cancelled to unjam a mark");
                return $"cancel {unjam} to unjam {symbol} at {mark}";
            }

            if (firing.Any(f => f.Count > 0) || liquidating)
            {
                break;
            }
        }

        await trading.Price(symbol, model.Marks[symbol]);
        for (var i = 0; i < traders.Count; i++)
        {
            traders[i] = trailed[i];
            foreach (var id in model.Firing(traders[i], symbol))
            {
                var trailing = traders[i].Orders[id].Spec.Type == OrderType.TrailingStopMarket;
                (var reason, traders[i]) = model.Fire(traders[i], id);
                Count(reason == Rejection.None ? "orders fired, filled" : "orders fired, refused (cancelled)");
                Count(trailing ? "trailing stops fired" : "stops and take-profits fired");
            }
        }

        return $"price {symbol} {old} → {model.Marks[symbol]}";
    }

    /// <summary>Flattening first (every order cancelled, every leg closed) lets the switch through; otherwise it is refused while anything is open or waiting.</summary>
    private async Task<string> SwitchPositionMode(int a, bool flatten)
    {
        var account = grains[a];
        if (flatten)
        {
            foreach (var id in traders[a].Orders.Keys.ToList())
            {
                await Run(a, r => account.CancelOrder(r, id), () => Model.Cancel(traders[a], id));
            }

            foreach (var leg in traders[a].Positions.Keys.ToList())
            {
                await Run(a, r => account.ClosePosition(r, leg, null), () => model.Close(traders[a], leg, null));
            }
        }

        var hedge = !traders[a].Hedge;
        var mode = hedge ? PositionMode.Hedge : PositionMode.OneWay;
        var result = await Run(a, id => account.SetPositionMode(id, mode), () => Model.SetPositionMode(traders[a], hedge), id => account.SetPositionMode(id, hedge ? PositionMode.OneWay : PositionMode.Hedge));
        Count(result.Result.IsOk ? "position mode switched" : "position mode refused");
        return $"position mode {mode}{(flatten ? " after flattening" : "")}";
    }

    /// <summary>An earlier request sent again: the same reply, nothing changes; with other arguments: RequestIdReused.</summary>
    private async Task<string> Replay()
    {
        if (sent.Count == 0)
        {
            return "no replay yet";
        }

        var earlier = Pick(sent);
        var again = await earlier.Send(earlier.RequestId);
        Assert.True(again == earlier.Reply, $"replay of {earlier.RequestId}: {again}, first {earlier.Reply}");
        if (earlier.Other is { } other)
        {
            var reused = await other(earlier.RequestId);
            Assert.True(reused.Result.Reason == Rejection.RequestIdReused, $"{earlier.RequestId} with other arguments: {reused.Result.Reason} {reused.Result.Detail}");
        }

        Count("replays");
        return $"replay {earlier.RequestId} ({earlier.Reply.Result.Reason})";
    }

    /// <summary>A command sent to the engine and the model: the same reason; one whose id keeps its reply is remembered for a replay.</summary>
    private async Task<CommandResult> Run(int a, Func<string, Task<CommandResult>> send, Func<(Rejection, Model.Trader)> predict,
        Func<string, Task<CommandResult>>? other = null, bool keptIfRefused = true)
    {
        var (predicted, next) = predict();
        var requestId = RequestId();
        var result = await send(requestId);
        Assert.True(predicted == result.Result.Reason, $"model predicted {predicted}, engine answered {result.Result.Reason}: {result.Result.Detail}");
        traders[a] = next;
        Count($"reason {predicted}");
        if (result.Result.IsOk || (keptIfRefused && result.Result.KeepsRequestId()))
        {
            sent.Add(new Sent(a, requestId, send, other, result));
        }

        return result;
    }

    /// <summary>Mostly the leg the mode names (LONG or SHORT hedged, BOTH one-way), one time in eight the wrong one.</summary>
    private LegKey PickLeg(Model.Trader t, string symbol)
    {
        var hedgeLeg = random.Next(2) == 0 ? LegSide.Long : LegSide.Short;
        return new LegKey(symbol, t.Hedge == (random.Next(8) != 0) ? hedgeLeg : LegSide.Both);
    }

    /// <summary>
    /// A stop, take-profit or trailing stop on a leg, mostly well formed and a few ticks to 1.5% from
    /// the mark on its firing side; now and then on the wrong side, off the tick, with a bad callback
    /// rate, bad fields, a past or near good-till, close-position, reduce-only or its own leverage.
    /// </summary>
    private ConditionalOrder PickOrder(Model.Trader t, string symbol)
    {
        var type = Pick(new[] { OrderType.StopMarket, OrderType.TakeProfitMarket, OrderType.TrailingStopMarket });
        var leg = PickLeg(t, symbol);

        // Half the orders on a held leg close it; the others mostly enter (a hedge leg's own side), now and then the other way.
        var held = t.At(leg);
        var closing = held is not null && random.Next(2) == 0;
        var entry = leg.Side == LegSide.Short ? PositionSide.Short : leg.Side == LegSide.Long || random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
        var side = closing ? Opposite(held!.Side) : random.Next(6) == 0 ? Opposite(entry) : entry;
        var closePosition = closing ? random.Next(3) == 0 : random.Next(12) == 0;
        var order = new ConditionalOrder(type, symbol, side, closePosition && random.Next(10) != 0 ? 0m : Pick(OrderQuantities),
            ClosePosition: closePosition, ReduceOnly: !closePosition && random.Next(t.Hedge ? 12 : 3) == 0, LegSide: leg.Side,
            Leverage: random.Next(4) == 0 ? Pick(Leverages) : null, GoodTill: PickGoodTill());
        var mark = model.Marks[symbol];
        if (type == OrderType.TrailingStopMarket)
        {
            // A SELL starts to follow at or above its activation price, a BUY at or below.
            var activation = random.Next(3) == 0 ? Beyond(mark, side == PositionSide.Short ? 1 : -1) : (decimal?)null;
            return order with { CallbackRate = Pick(CallbackRates), ActivationPrice = activation, TriggerPrice = random.Next(25) == 0 ? mark : null };
        }

        // A stop fires against its side (a BUY above the mark), a take-profit with it (a BUY below).
        var above = (type == OrderType.StopMarket) == (side == PositionSide.Long);
        return order with { TriggerPrice = random.Next(25) == 0 ? null : Beyond(mark, above ? 1 : -1) };
    }

    private static PositionSide Opposite(PositionSide side) => side == PositionSide.Long ? PositionSide.Short : PositionSide.Long;

    private (long Id, OrderAmendment Change) PickAmendment(Model.Trader t, string symbol)
    {
        var id = PickOrderId(t);
        var held = t.Orders.GetValueOrDefault(id)?.Spec;
        var mark = model.Marks[held?.Symbol ?? symbol];
        var trailing = held?.Type == OrderType.TrailingStopMarket;
        var above = held is not null && (trailing ? held.Side == PositionSide.Short : (held.Type == OrderType.StopMarket) == (held.Side == PositionSide.Long));
        return (id, random.Next(5) switch
        {
            0 => new OrderAmendment(Quantity: Pick(OrderQuantities)),
            1 => new OrderAmendment(GoodTill: PickGoodTill() ?? model.Now.AddSeconds(30)),
            2 when trailing => new OrderAmendment(CallbackRate: Pick(CallbackRates)),
            3 when trailing => new OrderAmendment(ActivationPrice: Beyond(mark, above ? 1 : -1)),
            _ => new OrderAmendment(TriggerPrice: Beyond(mark, above ? 1 : -1)), // on a trailing stop: bad fields
        });
    }

    /// <summary>A waiting order's id, or one the account does not hold (never placed, or already gone).</summary>
    private long PickOrderId(Model.Trader t) => t.Orders.Count > 0 && random.Next(8) != 0 ? Pick(t.Orders.Keys.ToList()) : random.Next(1, (int)t.OrderSequence + 3);

    /// <summary>A price a few ticks to 1.5% from the mark on the side <paramref name="way"/>; one time in ten the other side, one in twenty off the tick.</summary>
    private decimal Beyond(decimal mark, int way)
    {
        way = random.Next(10) == 0 ? -way : way;
        return Math.Round(mark * (1m + way * Pick(Distances)), 1) + (random.Next(20) == 0 ? 0.05m : 0m);
    }

    private DateTimeOffset? PickGoodTill() => random.Next(6) switch
    {
        0 => model.Now.AddSeconds(random.Next(-1, 5)),
        _ => null,
    };

    /// <summary>Compared once the engine is quiet, every wake-up handled: wallet, position mode, every leg, the waiting orders.</summary>
    private async Task AssertMatches(IAccountGrain grain, Model.Trader t)
    {
        await fixture.Quiet();
        var view = (await grain.GetAccount())!;
        Assert.True(t.Wallet == view.WalletBalance, $"{view.AccountId}: wallet {view.WalletBalance}, model {t.Wallet}");
        Assert.True(view.PositionMode == (t.Hedge ? PositionMode.Hedge : PositionMode.OneWay), $"{view.AccountId}: position mode {view.PositionMode}");
        var engine = view.Positions.Select(p => (Leg: new LegKey(p.Symbol, p.LegSide).ToString(), new Model.Position(p.Side, p.Quantity, p.EntryPrice, p.IsolatedMargin, p.Leverage)))
            .OrderBy(p => p.Leg, StringComparer.Ordinal).ToList();
        var expected = t.Positions.Select(p => (Leg: p.Key.ToString(), p.Value)).OrderBy(p => p.Leg, StringComparer.Ordinal).ToList();
        Assert.True(engine.SequenceEqual(expected), $"{view.AccountId}: positions {string.Join(", ", engine)}; model {string.Join(", ", expected)}");
        var orders = (await grain.ListOrders()).Select(o => (o.OrderId, o.Order)).ToList();
        var modelled = t.Orders.Values.OrderBy(o => o.Id).Select(o => (o.Id, o.Spec)).ToList();
        Assert.True(orders.SequenceEqual(modelled), $"{view.AccountId}: orders {string.Join(", ", orders)}; model {string.Join(", ", modelled)}");
    }

    private void Count(string what, int by = 1) => counts[what] = counts.GetValueOrDefault(what) + by;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
