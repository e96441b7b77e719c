namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// An independent in-memory model of isolated trading on one market, written from the reference
/// formulas (B1 PnL, B2 IM, B3 first bracket, B8 max removable) and the documented check order —
/// it calls none of the engine's code. Each command returns the refusal it predicts (Ok when
/// accepted) and, when accepted, changes the model's wallet and position exactly as the engine
/// must. Its scope, asserted as it goes: isolated margin, first bracket only, fresh marks.
/// </summary>
public sealed class Model(decimal takerFee, decimal lot, decimal maintenanceRate, int leverageMax)
{
    public const int DefaultLeverage = 20;
    public const decimal BracketCap = 50_000m;

    public sealed record Position(PositionSide Side, decimal Quantity, decimal Entry, decimal Margin, int Leverage)
    {
        public int Sign => Side == PositionSide.Long ? 1 : -1;
    }

    public sealed class Trader
    {
        public decimal Wallet { get; set; }
        public int? Leverage { get; set; }
        public Position? Position { get; set; }
    }

    public decimal Mark { get; set; }

    public Rejection Deposit(Trader t, decimal amount)
    {
        if (AmountProblem(amount) is { } bad)
        {
            return bad;
        }

        t.Wallet += amount;
        return Rejection.None;
    }

    public Rejection Withdraw(Trader t, decimal amount)
    {
        if (AmountProblem(amount) is { } bad)
        {
            return bad;
        }

        if (amount > t.Wallet)
        {
            return Rejection.InsufficientBalance;
        }

        t.Wallet -= amount;
        return Rejection.None;
    }

    public Rejection Open(Trader t, PositionSide side, decimal quantity, int? leverage)
    {
        var lev = leverage ?? t.Leverage ?? Math.Min(DefaultLeverage, leverageMax);
        if (QuantityProblem(quantity) is { } bad)
        {
            return bad;
        }

        if (lev < 1 || lev > leverageMax)
        {
            return Rejection.LeverageOutOfRange;
        }

        var held = t.Position;
        if (held is not null && held.Side != side)
        {
            if (quantity <= held.Quantity)
            {
                return Close(t, quantity);
            }

            // A flip: all or nothing — close the old side, open the rest with what the close paid back.
            var (wallet, position) = (t.Wallet, t.Position);
            Close(t, null);
            var opened = Add(t, side, quantity - held.Quantity, lev);
            if (opened != Rejection.None)
            {
                (t.Wallet, t.Position) = (wallet, position);
            }

            return opened;
        }

        return Add(t, side, quantity, lev);
    }

    public Rejection Close(Trader t, decimal? quantity)
    {
        if (quantity is { } q && QuantityProblem(q) is { } bad)
        {
            return bad;
        }

        if (t.Position is not { } p)
        {
            return Rejection.NoOpenPosition;
        }

        if (quantity > p.Quantity)
        {
            return Rejection.CloseExceedsPosition;
        }

        var slice = quantity ?? p.Quantity;
        var released = slice == p.Quantity ? p.Margin : Floor8(p.Margin * slice / p.Quantity);
        var realized = Math.Max(-released, Floor8(p.Sign * slice * (Mark - p.Entry)));
        var fee = Math.Min(Ceiling8(slice * Mark * takerFee), released + realized);
        t.Wallet += released + realized - fee;
        t.Position = slice == p.Quantity ? null : p with { Quantity = p.Quantity - slice, Margin = p.Margin - released };
        return Rejection.None;
    }

    public Rejection AddMargin(Trader t, decimal amount)
    {
        if (AmountProblem(amount) is { } bad)
        {
            return bad;
        }

        if (t.Position is not { } p)
        {
            return Rejection.NoOpenPosition;
        }

        if (amount > t.Wallet)
        {
            return Rejection.InsufficientBalance;
        }

        (t.Wallet, t.Position) = (t.Wallet - amount, p with { Margin = p.Margin + amount });
        return Rejection.None;
    }

    public Rejection RemoveMargin(Trader t, decimal amount)
    {
        if (AmountProblem(amount) is { } bad)
        {
            return bad;
        }

        if (t.Position is not { } p)
        {
            return Rejection.NoOpenPosition;
        }

        // B8: max(0, min(M − MM, equity − IM at the mark)), and equity stays strictly above MM.
        var equity = p.Margin + p.Sign * p.Quantity * (Mark - p.Entry);
        var maintenance = Maintenance(p);
        var max = Math.Max(0m, Floor8(Math.Min(Math.Min(p.Margin - maintenance, equity - p.Quantity * Mark / p.Leverage), equity - maintenance - 0.00000001m)));
        if (amount > max)
        {
            return Rejection.ExceedsMaxRemovable;
        }

        (t.Wallet, t.Position) = (t.Wallet + amount, p with { Margin = p.Margin - amount });
        return Rejection.None;
    }

    public Rejection SetLeverage(Trader t, int leverage)
    {
        if (leverage < 1 || leverage > leverageMax)
        {
            return Rejection.LeverageOutOfRange;
        }

        if (t.Position is { } p)
        {
            // Lowering it tops the margin up to the new IM at entry; raising it keeps the margin.
            var needed = Math.Max(0m, Ceiling8(p.Quantity * p.Entry / leverage) - p.Margin);
            if (needed > t.Wallet)
            {
                return Rejection.InsufficientBalance;
            }

            (t.Wallet, t.Position) = (t.Wallet - needed, p with { Margin = p.Margin + needed, Leverage = leverage });
        }

        t.Leverage = leverage;
        return Rejection.None;
    }

    /// <summary>At or below maintenance at the mark: the whole position goes, its margin with it; the wallet is untouched.</summary>
    public bool Liquidates(Trader t) =>
        t.Position is { } p && p.Margin + p.Sign * p.Quantity * (Mark - p.Entry) <= Maintenance(p);

    private Rejection Add(Trader t, PositionSide side, decimal quantity, int leverage)
    {
        var held = t.Position;
        var total = (held?.Quantity ?? 0m) + quantity;
        Assert.True(total * Mark < BracketCap, $"the model covers the first bracket only: {total} at {Mark}");
        var margin = Ceiling8(quantity * Mark / leverage);
        var fee = Ceiling8(quantity * Mark * takerFee);
        if (margin + fee > t.Wallet)
        {
            return Rejection.InsufficientBalance;
        }

        if (held is not null && held.Leverage != leverage)
        {
            return Rejection.LeverageDiffersFromPosition;
        }

        var entry = held is null ? Mark : Math.Round((held.Quantity * held.Entry + quantity * Mark) / total, 8);
        t.Wallet -= margin + fee;
        t.Position = new Position(side, total, entry, (held?.Margin ?? 0m) + margin, leverage);
        t.Leverage = leverage;
        return Rejection.None;
    }

    private decimal Maintenance(Position p) => p.Quantity * Mark * maintenanceRate;

    private Rejection? QuantityProblem(decimal quantity) =>
        quantity <= 0m ? Rejection.QuantityNotPositive : quantity % lot != 0m ? Rejection.QuantityNotMultipleOfLot : null;

    private static Rejection? AmountProblem(decimal amount) =>
        amount <= 0m || amount > 1_000_000_000_000m ? Rejection.AmountNotPositive
        : Math.Round(amount, 8) != amount ? Rejection.AmountTooPrecise : null;

    private static decimal Ceiling8(decimal amount) => Math.Ceiling(amount * 100_000_000m) / 100_000_000m;

    private static decimal Floor8(decimal amount) => Math.Floor(amount * 100_000_000m) / 100_000_000m;
}
