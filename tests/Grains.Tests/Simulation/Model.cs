namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// An independent in-memory model of accounts trading isolated and cross, written from the
/// formulas of docs/margin-math.md (PnL, IM, the first bracket's MM, cross margin balance, max
/// removable and max withdrawal) and the documented check order — it calls none of the engine's code. Each
/// command returns the refusal it predicts (None when accepted) and, when accepted, changes the
/// model's wallet and positions exactly as the engine must. Its scope, asserted as it goes: the
/// first bracket only, fresh marks, funding that pays nothing. Positions are keyed by leg: the BOTH
/// leg of one-way mode, or the LONG and SHORT legs of hedge mode, each with its own margin (isolated)
/// or its own share of the cross pool (cross, maintenance on each leg's notional); conditional
/// orders are in Model.Orders.cs.
/// </summary>
public sealed partial class Model(decimal takerFee, decimal lot, decimal maintenanceRate, int leverageMax)
{
    public const int DefaultLeverage = 20;
    public const decimal BracketCap = 50_000m;

    /// <summary>A position; a cross one has no margin of its own (0).</summary>
    public sealed record Position(PositionSide Side, decimal Quantity, decimal Entry, decimal Margin, int Leverage)
    {
        public int Sign => Side == PositionSide.Long ? 1 : -1;
    }

    /// <summary>
    /// An account: wallet, and per symbol its leverage setting and margin mode; its open positions by
    /// leg; hedge or one-way; the isolated legs in the order it first used them (a leverage change on
    /// a hedged symbol walks its legs in that order); its waiting conditional orders by id.
    /// </summary>
    public sealed record Trader(decimal Wallet, IReadOnlyDictionary<string, int> Leverage, IReadOnlyDictionary<string, MarginMode> Modes, IReadOnlyDictionary<LegKey, Position> Positions)
    {
        public bool Hedge { get; init; }

        public IReadOnlyList<LegKey> Touched { get; init; } = [];

        public IReadOnlyDictionary<long, Order> Orders { get; init; } = new Dictionary<long, Order>();

        public long OrderSequence { get; init; }

        public static Trader Funded(decimal wallet) => new(wallet, new Dictionary<string, int>(), new Dictionary<string, MarginMode>(), new Dictionary<LegKey, Position>());

        public MarginMode ModeOf(string symbol) => Modes.GetValueOrDefault(symbol, MarginMode.Isolated);

        public MarginMode ModeOf(LegKey leg) => ModeOf(leg.Symbol);

        public Position? At(string symbol) => At(LegKey.Both(symbol));

        public Position? At(LegKey leg) => Positions.GetValueOrDefault(leg);

        public Trader With(LegKey leg, Position? position) => this with
        {
            Positions = position is null
                ? Positions.Where(p => p.Key != leg).ToDictionary()
                : new Dictionary<LegKey, Position>(Positions) { [leg] = position },
        };

        /// <summary>An isolated leg a command reached the position with, remembered in first-use order.</summary>
        public Trader Touch(LegKey leg) => ModeOf(leg) == MarginMode.Cross || Touched.Contains(leg) ? this : this with { Touched = [.. Touched, leg] };

        public Trader WithLeverage(string symbol, int leverage) => this with { Leverage = new Dictionary<string, int>(Leverage) { [symbol] = leverage } };
    }

    public Dictionary<string, decimal> Marks { get; } = [];

    public (Rejection, Trader) Deposit(Trader t, decimal amount) =>
        AmountProblem(amount) is { } bad ? (bad, t) : (Rejection.None, t with { Wallet = t.Wallet + amount });

    public (Rejection, Trader) Withdraw(Trader t, decimal amount) =>
        AmountProblem(amount) is { } bad ? (bad, t)
        : amount > MaxWithdrawal(t) ? (Rejection.InsufficientBalance, t)
        : (Rejection.None, t with { Wallet = t.Wallet - amount });

    /// <summary>
    /// An order at the mark on a leg. One that only reduces (reduce-only, or the opposite side of a
    /// hedge leg) is refused where it would open or add, and where it would flip it closes the leg.
    /// </summary>
    public (Rejection, Trader) Open(Trader t, LegKey leg, PositionSide side, decimal quantity, int? leverage, bool reduceOnly = false)
    {
        var symbol = leg.Symbol;
        var lev = leverage ?? (t.Leverage.TryGetValue(symbol, out var set) ? set : Math.Min(DefaultLeverage, leverageMax));
        if ((LegProblem(t, leg) ?? (t.Hedge && reduceOnly ? Rejection.ReduceOnlyNotApplicable : (Rejection?)null) ?? QuantityProblem(quantity)
            ?? (lev < 1 || lev > leverageMax ? Rejection.LeverageOutOfRange : null)) is { } bad)
        {
            return (bad, t);
        }

        t = t.Touch(leg);
        var cross = t.ModeOf(symbol) == MarginMode.Cross;
        if (cross && CrossLiquidates(t))
        {
            return (Rejection.PositionLiquidated, LiquidateCross(t));
        }

        var onlyReduces = reduceOnly || (leg.Side != LegSide.Both && side != Holds(leg.Side));
        if (t.At(leg) is { } held && held.Side != side)
        {
            if (quantity <= held.Quantity || onlyReduces)
            {
                return Reduce(t, leg, quantity > held.Quantity ? null : quantity); // one that only reduces fills at most the leg
            }

            // A flip: all or nothing — close the old side, open the rest with what the close paid back.
            var (_, closed) = Reduce(t, leg, null);
            var available = cross ? 0m : MaxWithdrawal(t) + closed.Wallet - t.Wallet;
            var (opened, after) = cross ? AddCross(closed, leg, side, quantity - held.Quantity, lev) : AddIsolated(closed, leg, side, quantity - held.Quantity, lev, available);
            return opened == Rejection.None ? (opened, after) : (opened, t);
        }

        return onlyReduces ? (Rejection.ReduceOnlyWouldIncrease, t)
            : cross ? AddCross(t, leg, side, quantity, lev) : AddIsolated(t, leg, side, quantity, lev, MaxWithdrawal(t));
    }

    public (Rejection, Trader) Close(Trader t, LegKey leg, decimal? quantity)
    {
        if ((LegProblem(t, leg) ?? (quantity is { } q ? QuantityProblem(q) : null)) is { } bad)
        {
            return (bad, t);
        }

        t = t.Touch(leg);
        if (t.ModeOf(leg) == MarginMode.Cross && CrossLiquidates(t))
        {
            return (Rejection.PositionLiquidated, LiquidateCross(t));
        }

        return t.At(leg) is not { } p ? (Rejection.NoOpenPosition, t)
            : quantity > p.Quantity ? (Rejection.CloseExceedsPosition, t)
            : Reduce(t, leg, quantity);
    }

    public (Rejection, Trader) AddMargin(Trader t, LegKey leg, decimal amount)
    {
        if ((LegProblem(t, leg) ?? IsolatedProblem(t, leg.Symbol) ?? AmountProblem(amount)) is { } bad)
        {
            return (bad, t);
        }

        t = t.Touch(leg);
        return t.At(leg) is not { } p ? (Rejection.NoOpenPosition, t)
            : amount > MaxWithdrawal(t) ? (Rejection.InsufficientBalance, t)
            : (Rejection.None, t.With(leg, p with { Margin = p.Margin + amount }) with { Wallet = t.Wallet - amount });
    }

    public (Rejection, Trader) RemoveMargin(Trader t, LegKey leg, decimal amount)
    {
        if ((LegProblem(t, leg) ?? IsolatedProblem(t, leg.Symbol) ?? AmountProblem(amount)) is { } bad)
        {
            return (bad, t);
        }

        t = t.Touch(leg);
        if (t.At(leg) is not { } p)
        {
            return (Rejection.NoOpenPosition, t);
        }

        // Max removable: max(0, min(M − MM, equity − IM at the mark)), and equity stays strictly above MM.
        var mark = Marks[leg.Symbol];
        var equity = p.Margin + p.Sign * p.Quantity * (mark - p.Entry);
        var maintenance = p.Quantity * mark * maintenanceRate;
        var max = Math.Max(0m, Floor8(Math.Min(Math.Min(p.Margin - maintenance, equity - p.Quantity * mark / p.Leverage), equity - maintenance - 0.00000001m)));
        return amount > max ? (Rejection.ExceedsMaxRemovable, t)
            : (Rejection.None, t.With(leg, p with { Margin = p.Margin - amount }) with { Wallet = t.Wallet + amount });
    }

    public (Rejection, Trader) SetLeverage(Trader t, string symbol, int leverage)
    {
        if (leverage < 1 || leverage > leverageMax)
        {
            return (Rejection.LeverageOutOfRange, t);
        }

        var cross = t.ModeOf(symbol) == MarginMode.Cross;
        if (cross && CrossLiquidates(t))
        {
            return (Rejection.PositionLiquidated, LiquidateCross(t));
        }

        var legs = t.Touched.Concat(t.Positions.Keys.Where(k => !t.Touched.Contains(k))).Where(k => k.Symbol == symbol && t.At(k) is not null).ToList();
        if (cross)
        {
            // The new IM at the mark of every leg of the symbol must leave the available balance non-negative.
            var after = Available(t) + legs.Sum(k => t.At(k)!.Quantity * Marks[symbol] / t.At(k)!.Leverage - t.At(k)!.Quantity * Marks[symbol] / leverage);
            if (after < 0m)
            {
                return (Rejection.InsufficientBalance, t);
            }

            t = legs.Aggregate(t, (u, k) => u.With(k, u.At(k)! with { Leverage = leverage }));
        }
        else
        {
            // Leg by leg, in the order the account first used them: a refusal keeps the legs already changed.
            foreach (var leg in legs)
            {
                // Lowering it tops the margin up to the new IM at entry; raising it keeps the margin.
                var p = t.At(leg)!;
                var needed = Math.Max(0m, Ceiling8(p.Quantity * p.Entry / leverage) - p.Margin);
                if (needed > MaxWithdrawal(t))
                {
                    return (Rejection.InsufficientBalance, t);
                }

                t = t.With(leg, p with { Margin = p.Margin + needed, Leverage = leverage }).WithLeverage(symbol, leverage) with { Wallet = t.Wallet - needed };
            }
        }

        return (Rejection.None, t.WithLeverage(symbol, leverage));
    }

    /// <summary>Refused while the symbol has an open position, in either mode; setting the current mode changes nothing.</summary>
    public (Rejection, Trader) SetMode(Trader t, string symbol, MarginMode mode) =>
        t.ModeOf(symbol) == mode ? (Rejection.None, t)
        : t.Positions.Keys.Any(k => k.Symbol == symbol) ? (Rejection.MarginModeChangeWithOpenPosition, t)
        : (Rejection.None, t with { Modes = new Dictionary<string, MarginMode>(t.Modes) { [symbol] = mode } });

    /// <summary>
    /// What the marks do on their own: a cross account whose margin balance is at or below Σ MM
    /// loses every cross position and its whole wallet (to the funds); an isolated position at or
    /// below maintenance loses itself and its margin, the wallet untouched.
    /// </summary>
    public Trader Liquidations(Trader t)
    {
        t = CrossLiquidates(t) ? LiquidateCross(t) : t;
        foreach (var (leg, p) in Isolated(t).ToList())
        {
            if (p.Margin + Pnl(leg, p) <= Maintenance(leg, p))
            {
                t = t.With(leg, null);
            }
        }

        return WithoutStaleOrders(t);
    }

    private (Rejection, Trader) AddIsolated(Trader t, LegKey leg, PositionSide side, decimal quantity, int leverage, decimal available)
    {
        var (held, mark) = (t.At(leg), Marks[leg.Symbol]);
        var total = InFirstBracket(leg.Symbol, held, quantity);
        var margin = Ceiling8(quantity * mark / leverage);
        var fee = Ceiling8(quantity * mark * takerFee);
        if (margin + fee > available)
        {
            return (Rejection.InsufficientBalance, t);
        }

        if (held is not null && held.Leverage != leverage)
        {
            return (Rejection.LeverageDiffersFromPosition, t);
        }

        var position = new Position(side, total, Entry(held, quantity, mark), (held?.Margin ?? 0m) + margin, leverage);
        return (Rejection.None, t.With(leg, position).WithLeverage(leg.Symbol, leverage) with { Wallet = t.Wallet - margin - fee });
    }

    /// <summary>A cross add: its IM at the mark (exact) and fee must fit in the available balance; only the fee leaves the wallet.</summary>
    private (Rejection, Trader) AddCross(Trader t, LegKey leg, PositionSide side, decimal quantity, int leverage)
    {
        var (held, mark) = (t.At(leg), Marks[leg.Symbol]);
        var total = InFirstBracket(leg.Symbol, held, quantity);
        var fee = Ceiling8(quantity * mark * takerFee);
        if (quantity * mark / leverage + fee > Available(t))
        {
            return (Rejection.InsufficientBalance, t);
        }

        if (held is not null && held.Leverage != leverage)
        {
            return (Rejection.LeverageDiffersFromPosition, t);
        }

        var position = new Position(side, total, Entry(held, quantity, mark), 0m, leverage);
        return (Rejection.None, t.With(leg, position).WithLeverage(leg.Symbol, leverage) with { Wallet = t.Wallet - fee });
    }

    /// <summary>
    /// Closes <paramref name="quantity"/> (all when null) at the mark. Isolated: the slice's margin
    /// comes back, its loss at most that margin, the fee at most what is left. Cross: the realized
    /// PnL and the whole fee settle in the wallet.
    /// </summary>
    private (Rejection, Trader) Reduce(Trader t, LegKey leg, decimal? quantity)
    {
        var p = t.At(leg)!;
        var mark = Marks[leg.Symbol];
        var slice = quantity ?? p.Quantity;
        var pnl = Floor8(p.Sign * slice * (mark - p.Entry));
        var fee = Ceiling8(slice * mark * takerFee);
        var rest = slice == p.Quantity ? null : p with { Quantity = p.Quantity - slice };
        if (t.ModeOf(leg) == MarginMode.Cross)
        {
            return (Rejection.None, t.With(leg, rest) with { Wallet = t.Wallet + pnl - fee });
        }

        var released = rest is null ? p.Margin : Floor8(p.Margin * slice / p.Quantity);
        var realized = Math.Max(-released, pnl);
        fee = Math.Min(fee, released + realized);
        return (Rejection.None, t.With(leg, rest is null ? null : rest with { Margin = p.Margin - released }) with { Wallet = t.Wallet + released + realized - fee });
    }

    private static IEnumerable<(LegKey Leg, Position P)> Cross(Trader t) => t.Positions.Where(p => t.ModeOf(p.Key) == MarginMode.Cross).Select(p => (p.Key, p.Value));

    private static IEnumerable<(LegKey Leg, Position P)> Isolated(Trader t) => t.Positions.Where(p => t.ModeOf(p.Key) == MarginMode.Isolated).Select(p => (p.Key, p.Value));

    private decimal Pnl(LegKey leg, Position p) => p.Sign * p.Quantity * (Marks[leg.Symbol] - p.Entry);

    /// <summary>Each leg's own maintenance, on its own notional (a hedged symbol's legs are never netted).</summary>
    private decimal Maintenance(LegKey leg, Position p) => p.Quantity * Marks[leg.Symbol] * maintenanceRate;

    /// <summary>Available: the wallet plus every cross position's uPnL, less Σ IM at the marks.</summary>
    private decimal Available(Trader t) => t.Wallet + Cross(t).Sum(c => Pnl(c.Leg, c.P) - c.P.Quantity * Marks[c.Leg.Symbol] / c.P.Leverage);

    /// <summary>Max withdrawal: min(wallet − Σ MM, available), rounded down, never negative; the wallet itself with no cross position.</summary>
    private decimal MaxWithdrawal(Trader t) => !Cross(t).Any() ? t.Wallet
        : Math.Max(0m, Floor8(Math.Min(t.Wallet - Cross(t).Sum(c => Maintenance(c.Leg, c.P)), Available(t))));

    private bool CrossLiquidates(Trader t) =>
        Cross(t).Any() && t.Wallet + Cross(t).Sum(c => Pnl(c.Leg, c.P)) <= Cross(t).Sum(c => Maintenance(c.Leg, c.P));

    private static Trader LiquidateCross(Trader t) =>
        Cross(t).Select(c => c.Leg).ToList().Aggregate(t, (u, leg) => u.With(leg, null)) with { Wallet = 0m };

    /// <summary>The leg fits the position mode: BOTH in one-way mode, LONG or SHORT in hedge mode.</summary>
    private static Rejection? LegProblem(Trader t, LegKey leg) => t.Hedge == (leg.Side == LegSide.Both) ? Rejection.PositionSideMismatch : null;

    /// <summary>The direction a hedge leg holds.</summary>
    private static PositionSide Holds(LegSide leg) => leg == LegSide.Short ? PositionSide.Short : PositionSide.Long;

    private decimal InFirstBracket(string symbol, Position? held, decimal quantity)
    {
        var total = (held?.Quantity ?? 0m) + quantity;
        Assert.True(total * Marks[symbol] < BracketCap, $"the model covers the first bracket only: {total} at {Marks[symbol]}");
        return total;
    }

    private static decimal Entry(Position? held, decimal quantity, decimal mark) =>
        held is null ? mark : Math.Round((held.Quantity * held.Entry + quantity * mark) / (held.Quantity + quantity), 8);

    private static Rejection? IsolatedProblem(Trader t, string symbol) => t.ModeOf(symbol) == MarginMode.Cross ? Rejection.NotIsolated : null;

    private Rejection? QuantityProblem(decimal quantity) =>
        quantity <= 0m ? Rejection.QuantityNotPositive : quantity % lot != 0m ? Rejection.QuantityNotMultipleOfLot : null;

    private static Rejection? AmountProblem(decimal amount) =>
        amount <= 0m || amount > 1_000_000_000_000m ? Rejection.AmountNotPositive
        : Math.Round(amount, 8) != amount ? Rejection.AmountTooPrecise : null;

    private static decimal Ceiling8(decimal amount) => Math.Ceiling(amount * 100_000_000m) / 100_000_000m;

    private static decimal Floor8(decimal amount) => Math.Floor(amount * 100_000_000m) / 100_000_000m;
}
