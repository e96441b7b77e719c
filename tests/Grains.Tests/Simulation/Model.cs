namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// An independent in-memory model of accounts trading isolated and cross, written from the
/// formulas of docs/margin-math.md (PnL, IM, the first bracket's MM, cross margin balance, max
/// removable and max withdrawal) and the documented check order — it calls none of the engine's code. Each
/// command returns the refusal it predicts (None when accepted) and, when accepted, changes the
/// model's wallet and positions exactly as the engine must. Its scope, asserted as it goes: the
/// first bracket only, fresh marks, funding that pays nothing.
/// </summary>
public sealed class Model(decimal takerFee, decimal lot, decimal maintenanceRate, int leverageMax)
{
    public const int DefaultLeverage = 20;
    public const decimal BracketCap = 50_000m;

    /// <summary>A position; a cross one has no margin of its own (0).</summary>
    public sealed record Position(PositionSide Side, decimal Quantity, decimal Entry, decimal Margin, int Leverage)
    {
        public int Sign => Side == PositionSide.Long ? 1 : -1;
    }

    /// <summary>An account: wallet, and per symbol its leverage setting, margin mode and open position.</summary>
    public sealed record Trader(decimal Wallet, IReadOnlyDictionary<string, int> Leverage, IReadOnlyDictionary<string, MarginMode> Modes, IReadOnlyDictionary<string, Position> Positions)
    {
        public static Trader Funded(decimal wallet) => new(wallet, new Dictionary<string, int>(), new Dictionary<string, MarginMode>(), new Dictionary<string, Position>());

        public MarginMode ModeOf(string symbol) => Modes.GetValueOrDefault(symbol, MarginMode.Isolated);

        public Position? At(string symbol) => Positions.GetValueOrDefault(symbol);

        public Trader With(string symbol, Position? position) => this with
        {
            Positions = position is null
                ? Positions.Where(p => p.Key != symbol).ToDictionary()
                : new Dictionary<string, Position>(Positions) { [symbol] = position },
        };

        public Trader WithLeverage(string symbol, int leverage) => this with { Leverage = new Dictionary<string, int>(Leverage) { [symbol] = leverage } };
    }

    public Dictionary<string, decimal> Marks { get; } = [];

    public (Rejection, Trader) Deposit(Trader t, decimal amount) =>
        AmountProblem(amount) is { } bad ? (bad, t) : (Rejection.None, t with { Wallet = t.Wallet + amount });

    public (Rejection, Trader) Withdraw(Trader t, decimal amount) =>
        AmountProblem(amount) is { } bad ? (bad, t)
        : amount > MaxWithdrawal(t) ? (Rejection.InsufficientBalance, t)
        : (Rejection.None, t with { Wallet = t.Wallet - amount });

    public (Rejection, Trader) Open(Trader t, string symbol, PositionSide side, decimal quantity, int? leverage)
    {
        var lev = leverage ?? (t.Leverage.TryGetValue(symbol, out var set) ? set : Math.Min(DefaultLeverage, leverageMax));
        if ((QuantityProblem(quantity) ?? (lev < 1 || lev > leverageMax ? Rejection.LeverageOutOfRange : null)) is { } bad)
        {
            return (bad, t);
        }

        var cross = t.ModeOf(symbol) == MarginMode.Cross;
        if (cross && CrossLiquidates(t))
        {
            return (Rejection.PositionLiquidated, LiquidateCross(t));
        }

        if (t.At(symbol) is { } held && held.Side != side)
        {
            if (quantity <= held.Quantity)
            {
                return Reduce(t, symbol, quantity);
            }

            // A flip: all or nothing — close the old side, open the rest with what the close paid back.
            var (_, closed) = Reduce(t, symbol, null);
            var available = cross ? 0m : MaxWithdrawal(t) + closed.Wallet - t.Wallet;
            var (opened, after) = cross ? AddCross(closed, symbol, side, quantity - held.Quantity, lev) : AddIsolated(closed, symbol, side, quantity - held.Quantity, lev, available);
            return opened == Rejection.None ? (opened, after) : (opened, t);
        }

        return cross ? AddCross(t, symbol, side, quantity, lev) : AddIsolated(t, symbol, side, quantity, lev, MaxWithdrawal(t));
    }

    public (Rejection, Trader) Close(Trader t, string symbol, decimal? quantity)
    {
        if (quantity is { } q && QuantityProblem(q) is { } bad)
        {
            return (bad, t);
        }

        if (t.ModeOf(symbol) == MarginMode.Cross && CrossLiquidates(t))
        {
            return (Rejection.PositionLiquidated, LiquidateCross(t));
        }

        return t.At(symbol) is not { } p ? (Rejection.NoOpenPosition, t)
            : quantity > p.Quantity ? (Rejection.CloseExceedsPosition, t)
            : Reduce(t, symbol, quantity);
    }

    public (Rejection, Trader) AddMargin(Trader t, string symbol, decimal amount)
    {
        if ((IsolatedProblem(t, symbol) ?? AmountProblem(amount)) is { } bad)
        {
            return (bad, t);
        }

        return t.At(symbol) is not { } p ? (Rejection.NoOpenPosition, t)
            : amount > MaxWithdrawal(t) ? (Rejection.InsufficientBalance, t)
            : (Rejection.None, t.With(symbol, p with { Margin = p.Margin + amount }) with { Wallet = t.Wallet - amount });
    }

    public (Rejection, Trader) RemoveMargin(Trader t, string symbol, decimal amount)
    {
        if ((IsolatedProblem(t, symbol) ?? AmountProblem(amount)) is { } bad)
        {
            return (bad, t);
        }

        if (t.At(symbol) is not { } p)
        {
            return (Rejection.NoOpenPosition, t);
        }

        // Max removable: max(0, min(M − MM, equity − IM at the mark)), and equity stays strictly above MM.
        var mark = Marks[symbol];
        var equity = p.Margin + p.Sign * p.Quantity * (mark - p.Entry);
        var maintenance = p.Quantity * mark * maintenanceRate;
        var max = Math.Max(0m, Floor8(Math.Min(Math.Min(p.Margin - maintenance, equity - p.Quantity * mark / p.Leverage), equity - maintenance - 0.00000001m)));
        return amount > max ? (Rejection.ExceedsMaxRemovable, t)
            : (Rejection.None, t.With(symbol, p with { Margin = p.Margin - amount }) with { Wallet = t.Wallet + amount });
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

        if (t.At(symbol) is { } p)
        {
            if (cross)
            {
                // The new IM at the mark must leave the available balance non-negative.
                var notional = p.Quantity * Marks[symbol];
                if (Available(t) + notional / p.Leverage - notional / leverage < 0m)
                {
                    return (Rejection.InsufficientBalance, t);
                }

                t = t.With(symbol, p with { Leverage = leverage });
            }
            else
            {
                // Lowering it tops the margin up to the new IM at entry; raising it keeps the margin.
                var needed = Math.Max(0m, Ceiling8(p.Quantity * p.Entry / leverage) - p.Margin);
                if (needed > MaxWithdrawal(t))
                {
                    return (Rejection.InsufficientBalance, t);
                }

                t = t.With(symbol, p with { Margin = p.Margin + needed, Leverage = leverage }) with { Wallet = t.Wallet - needed };
            }
        }

        return (Rejection.None, t.WithLeverage(symbol, leverage));
    }

    /// <summary>Refused while the symbol has an open position, in either mode; setting the current mode changes nothing.</summary>
    public (Rejection, Trader) SetMode(Trader t, string symbol, MarginMode mode) =>
        t.ModeOf(symbol) == mode ? (Rejection.None, t)
        : t.At(symbol) is not null ? (Rejection.MarginModeChangeWithOpenPosition, t)
        : (Rejection.None, t with { Modes = new Dictionary<string, MarginMode>(t.Modes) { [symbol] = mode } });

    /// <summary>
    /// What the marks do on their own: a cross account whose margin balance is at or below Σ MM
    /// loses every cross position and its whole wallet (to the funds); an isolated position at or
    /// below maintenance loses itself and its margin, the wallet untouched.
    /// </summary>
    public Trader Liquidations(Trader t)
    {
        t = CrossLiquidates(t) ? LiquidateCross(t) : t;
        foreach (var (symbol, p) in Isolated(t))
        {
            if (p.Margin + Pnl(symbol, p) <= Maintenance(symbol, p))
            {
                t = t.With(symbol, null);
            }
        }

        return t;
    }

    private (Rejection, Trader) AddIsolated(Trader t, string symbol, PositionSide side, decimal quantity, int leverage, decimal available)
    {
        var (held, mark) = (t.At(symbol), Marks[symbol]);
        var total = InFirstBracket(symbol, held, quantity);
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
        return (Rejection.None, t.With(symbol, position).WithLeverage(symbol, leverage) with { Wallet = t.Wallet - margin - fee });
    }

    /// <summary>A cross add: its IM at the mark (exact) and fee must fit in the available balance; only the fee leaves the wallet.</summary>
    private (Rejection, Trader) AddCross(Trader t, string symbol, PositionSide side, decimal quantity, int leverage)
    {
        var (held, mark) = (t.At(symbol), Marks[symbol]);
        var total = InFirstBracket(symbol, held, quantity);
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
        return (Rejection.None, t.With(symbol, position).WithLeverage(symbol, leverage) with { Wallet = t.Wallet - fee });
    }

    /// <summary>
    /// Closes <paramref name="quantity"/> (all when null) at the mark. Isolated: the slice's margin
    /// comes back, its loss at most that margin, the fee at most what is left. Cross: the realized
    /// PnL and the whole fee settle in the wallet.
    /// </summary>
    private (Rejection, Trader) Reduce(Trader t, string symbol, decimal? quantity)
    {
        var p = t.At(symbol)!;
        var mark = Marks[symbol];
        var slice = quantity ?? p.Quantity;
        var pnl = Floor8(p.Sign * slice * (mark - p.Entry));
        var fee = Ceiling8(slice * mark * takerFee);
        var rest = slice == p.Quantity ? null : p with { Quantity = p.Quantity - slice };
        if (t.ModeOf(symbol) == MarginMode.Cross)
        {
            return (Rejection.None, t.With(symbol, rest) with { Wallet = t.Wallet + pnl - fee });
        }

        var released = rest is null ? p.Margin : Floor8(p.Margin * slice / p.Quantity);
        var realized = Math.Max(-released, pnl);
        fee = Math.Min(fee, released + realized);
        return (Rejection.None, t.With(symbol, rest is null ? null : rest with { Margin = p.Margin - released }) with { Wallet = t.Wallet + released + realized - fee });
    }

    private IEnumerable<(string Symbol, Position P)> Cross(Trader t) => t.Positions.Where(p => t.ModeOf(p.Key) == MarginMode.Cross).Select(p => (p.Key, p.Value));

    private IEnumerable<(string Symbol, Position P)> Isolated(Trader t) => t.Positions.Where(p => t.ModeOf(p.Key) == MarginMode.Isolated).Select(p => (p.Key, p.Value));

    private decimal Pnl(string symbol, Position p) => p.Sign * p.Quantity * (Marks[symbol] - p.Entry);

    private decimal Maintenance(string symbol, Position p) => p.Quantity * Marks[symbol] * maintenanceRate;

    /// <summary>Available: the wallet plus every cross position's uPnL, less Σ IM at the marks.</summary>
    private decimal Available(Trader t) => t.Wallet + Cross(t).Sum(c => Pnl(c.Symbol, c.P) - c.P.Quantity * Marks[c.Symbol] / c.P.Leverage);

    /// <summary>Max withdrawal: min(wallet − Σ MM, available), rounded down, never negative; the wallet itself with no cross position.</summary>
    private decimal MaxWithdrawal(Trader t) => !Cross(t).Any() ? t.Wallet
        : Math.Max(0m, Floor8(Math.Min(t.Wallet - Cross(t).Sum(c => Maintenance(c.Symbol, c.P)), Available(t))));

    private bool CrossLiquidates(Trader t) =>
        Cross(t).Any() && t.Wallet + Cross(t).Sum(c => Pnl(c.Symbol, c.P)) <= Cross(t).Sum(c => Maintenance(c.Symbol, c.P));

    private Trader LiquidateCross(Trader t) =>
        Cross(t).Select(c => c.Symbol).ToList().Aggregate(t, (u, symbol) => u.With(symbol, null)) with { Wallet = 0m };

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
