using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// The account's cross positions marked to <paramref name="markets"/>, and the money of every
/// cross change. Realized PnL and fees settle between the wallet and the account's house leg;
/// each change validates first and mutates only when it accepts.
/// </summary>
public sealed class CrossBook(AccountState a, IReadOnlyDictionary<string, MarketSnapshot> markets)
{
    public IReadOnlyList<(string Symbol, CrossLeg Leg)> Legs =>
        [.. a.CrossPositions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Leg(p.Key, p.Value)))];

    private IReadOnlyList<CrossLeg> Marked => [.. Legs.Select(l => l.Leg)];

    public MarketSpec Spec(string symbol) => markets[symbol].Spec;

    /// <summary>
    /// At or below maintenance, a stale market's leg counted with its loss but none of its profit:
    /// stale marks alone liquidate nobody, and a stale leg never shields the account from a fresh one.
    /// </summary>
    public bool IsLiquidatable
    {
        get
        {
            var legs = Legs;
            return legs.Any(l => !markets[l.Symbol].Stale) && CrossMath.IsLiquidatable(a.WalletBalance,
                [.. legs.Select(l => markets[l.Symbol].Stale && l.Leg.UnrealizedPnl > 0m ? l.Leg with { Mark = l.Leg.Entry } : l.Leg)]);
        }
    }

    public decimal Available => CrossMath.Available(a.WalletBalance, Marked);

    /// <summary>
    /// What may leave the wallet, withdrawn or moved into an isolated position: Binance's
    /// max withdrawal and max addable are the same figure with no open orders.
    /// </summary>
    public decimal MaxWithdrawal => a.CrossPositions.Count == 0 ? a.WalletBalance : CrossMath.MaxWithdrawal(a.WalletBalance, Marked);

    /// <summary>The shared commands (open, close, orders) on the symbol's cross position.</summary>
    public PositionOutcome Open(OpenOrder order, int leverage) => On(order.Symbol).Open(order, leverage);

    public PositionOutcome Close(string symbol, decimal? requested, JournalKind closedAs = JournalKind.PositionClosed) =>
        On(symbol).Close(requested, closedAs);

    public PositionOutcome SetTakeProfitStopLoss(string symbol, decimal? takeProfit, decimal? stopLoss) =>
        On(symbol).SetTakeProfitStopLoss(takeProfit, stopLoss);

    public PositionOutcome CloseBy(string symbol, TriggerKind kind) => On(symbol).CloseBy(kind);

    /// <summary>
    /// Partial liquidation of a cross account at maintenance: steps down its largest-bracket
    /// position first (the largest notional among equals) to the bracket below, realizing the
    /// slice's PnL into the wallet against the house, and again while still at maintenance and
    /// some position can step down. Returns each step for the journal.
    /// </summary>
    public List<(string Symbol, decimal Quantity, decimal Realized)> StepDown()
    {
        var steps = new List<(string, decimal, decimal)>();
        while (IsLiquidatable)
        {
            var candidate = Legs
                .Select(l => (l.Symbol, l.Leg, Keep: Fills.StepDownTo(l.Leg.Brackets, l.Leg.Quantity, l.Leg.Mark, markets[l.Symbol].Spec.LotSize)))
                .Where(c => c.Keep is not null && !markets[c.Symbol].Stale)
                .OrderByDescending(c => (c.Leg.Brackets.For(c.Leg.Notional) ?? c.Leg.Brackets.Tiers[^1]).MaintenanceMarginRate).ThenByDescending(c => c.Leg.Notional)
                .FirstOrDefault();
            if (candidate.Keep is not { } keep)
            {
                break;
            }

            var slice = candidate.Leg.Quantity - keep;
            var realized = Fills.Realized(Held(candidate.Symbol), slice, candidate.Leg.Mark);
            On(candidate.Symbol).Take(slice);
            (a.WalletBalance, a.HouseLeg) = (a.WalletBalance + realized, a.HouseLeg - realized);
            steps.Add((candidate.Symbol, slice, realized));
        }

        return steps;
    }

    /// <summary>
    /// Auto-deleveraging of the symbol's cross position, the same rule as an isolated
    /// one: the fewest lots that cover the fund's need at the bankrupt position's price, no fee; the
    /// PnL at the mark less what it gives up goes to the wallet, what it gives up is recorded as a
    /// transfer to the symbol's fund (sent after the state write). The profit may be what keeps the
    /// account above maintenance: it gives up at most the excess the close leaves, never its solvency.
    /// </summary>
    public PositionOutcome Deleverage(string symbol, DeleverageOrder order)
    {
        var (quantity, given, realized) = Fills.Deleverage(Held(symbol), order, markets[symbol]);
        given = Math.Min(given, Money.Receive(ExcessAfterClosing(symbol, quantity, realized)));
        if (quantity == 0m || given <= 0m)
        {
            return PositionOutcome.Refused(Rejection.NothingToDeleverage, $"no {order.Side} cross position in profit on {symbol} with margin to spare");
        }

        On(symbol).Take(quantity);
        var booked = Book(symbol, JournalKind.AutoDeleveraged, realized, 0m);
        a.WalletBalance -= given;
        a.PendingFundTransfers.Add(new FundTransfer(order.TransferId, given, order.Fund));
        return booked with
        {
            WalletDelta = realized - given,
            RealizedPnl = realized - given,
            Quantity = quantity,
            FillPrice = Fills.DeleveragedPrice(order.Side, markets[symbol].MarkPrice, quantity, given),
        };
    }

    /// <summary>Margin balance − Σ MM once <paramref name="quantity"/> of the symbol's position closed at the mark, realizing <paramref name="realized"/>.</summary>
    private decimal ExcessAfterClosing(string symbol, decimal quantity, decimal realized)
    {
        var legs = Legs.Select(l => l.Symbol == symbol ? l.Leg with { Quantity = l.Leg.Quantity - quantity } : l.Leg).Where(l => l.Quantity > 0m).ToList();
        return CrossMath.MarginBalance(a.WalletBalance + realized, legs) - CrossMath.MaintenanceMargin(legs);
    }

    /// <summary>
    /// Pays or receives, from and into the wallet against the house, the funding every cross
    /// position owes since it last settled (the same lazy index as isolated positions). Returns
    /// each payment (negative: received) for the journal.
    /// </summary>
    public List<(string Symbol, CrossPosition Position, decimal Paid)> SettleFunding()
    {
        var settled = new List<(string, CrossPosition, decimal)>();
        foreach (var (symbol, position) in a.CrossPositions)
        {
            var (now, last) = (markets[symbol].Funding.Point, position.Funding ?? FundingPoint.Zero);
            if (now.Times <= last.Times)
            {
                continue; // nothing new, or an older snapshot: points never move back
            }

            var paid = FundingMath.Owed(position.Side.Sign(), position.Quantity, now.Cumulative, last.Cumulative);
            (a.WalletBalance, a.HouseLeg, position.Funding) = (a.WalletBalance - paid, a.HouseLeg + paid, now);
            if (paid != 0m)
            {
                settled.Add((symbol, position, paid));
            }
        }

        return settled;
    }

    /// <summary>
    /// Sets the symbol's leverage; on an open position the bracket holding its notional caps it
    /// and the new IM must leave the available balance non-negative.
    /// </summary>
    public PositionOutcome SetLeverage(string symbol, int leverage)
    {
        var mark = markets[symbol].MarkPrice;
        if (a.CrossPositions.TryGetValue(symbol, out var held))
        {
            var notional = held.Quantity * mark;
            if (markets[symbol].Spec.Brackets().CheckLeverage(notional, leverage) is { IsOk: false } capped)
            {
                return PositionOutcome.Refused(capped.Reason, capped.Detail);
            }

            var available = Available + notional / held.Leverage - notional / leverage;
            if (available < 0m)
            {
                return PositionOutcome.Refused(Rejection.InsufficientBalance, $"{leverage}x would leave the available balance at {Money.Receive(available)}");
            }

            held.Leverage = leverage;
        }

        a.Leverage[symbol] = leverage;
        return new PositionOutcome(Rejected.Ok, 0m, 0m, 0m, mark, View(symbol), JournalKind.LeverageSet);
    }

    /// <summary>
    /// Closes everything at the marks; the remaining margin balance (or its deficit) goes to the
    /// funds of the symbols closed, shared by notional at the marks — each share rounded down, the
    /// last the exact complement, so the transfers sum to the balance.
    /// </summary>
    public (IReadOnlyList<FundTransfer> Transfers, IReadOnlyList<(string Symbol, CrossPosition Position, decimal Realized)> Closed) Liquidate(string transferId)
    {
        var walletBefore = a.WalletBalance;
        var legs = Legs;
        var closed = legs.Select(l => (l.Symbol, a.CrossPositions[l.Symbol], Money.Receive(l.Leg.UnrealizedPnl))).ToList();
        var realized = closed.Sum(c => c.Item3);
        var total = walletBefore + realized;
        var notional = legs.Sum(l => l.Leg.Notional);
        var transfers = new List<FundTransfer>();
        foreach (var (symbol, leg) in legs)
        {
            var share = transfers.Count == legs.Count - 1 || notional == 0m
                ? total - transfers.Sum(t => t.Amount)
                : Money.Receive(total * leg.Notional / notional);
            var deficit = share < 0m ? new Deficit(a.CrossPositions[symbol].Side, leg.Quantity, leg.Mark, symbol) : null;
            transfers.Add(new FundTransfer($"{transferId}/{symbol}", share, markets[symbol].Spec.InsuranceFund, deficit));
            if (notional == 0m)
            {
                break;
            }
        }

        a.HouseLeg -= realized;
        a.WalletBalance = 0m;
        a.CrossPositions.Clear();
        Invariant.Assert(-realized + transfers.Sum(t => t.Amount) == walletBefore, "cross liquidation movements sum to the wallet balance");
        return (transfers, closed);
    }

    /// <summary>The open cross position of <paramref name="symbol"/> with its estimated prices (docs/margin-math.md).</summary>
    public PositionView? View(string symbol)
    {
        var legs = Legs;
        var i = legs.ToList().FindIndex(l => l.Symbol == symbol);
        if (i < 0)
        {
            return null;
        }

        var (p, leg, marked) = (a.CrossPositions[symbol], legs[i].Leg, Marked);
        var liquidation = CrossMath.EstimatedLiquidationPrice(a.WalletBalance, marked, i);
        return new PositionView(symbol, p.Side, p.Quantity, p.EntryPrice, p.Leverage, 0m, leg.Mark, leg.Notional,
            Money.Receive(leg.UnrealizedPnl), Money.Receive(leg.UnrealizedPnl), Money.Pay(leg.InitialMargin), Money.Pay(leg.MaintenanceMargin),
            Money.Price(liquidation),
            Money.Price(CrossMath.EstimatedBankruptcyPrice(a.WalletBalance, marked, i)), 0m, MarginMode.Cross, p.TakeProfit, p.StopLoss);
    }

    /// <summary>Settles realized PnL and fee between wallet and house, the exact complement of each other.</summary>
    public PositionOutcome Book(string symbol, JournalKind kind, decimal realized, decimal fee)
    {
        var walletDelta = realized - fee;
        a.WalletBalance += walletDelta;
        a.HouseLeg += fee - realized;
        var view = View(symbol);
        return new PositionOutcome(Rejected.Ok, walletDelta, realized, fee, markets[symbol].MarkPrice, view, kind,
            view is null ? "" : TakeProfitStopLoss.Note(view.Side, view.StopLoss, view.LiquidationPrice));
    }

    /// <summary>The symbol's cross position in the shared book.</summary>
    private CrossLegBook On(string symbol) => new(a, this, symbol, markets[symbol]);

    private Fills.Held Held(string symbol) => a.CrossPositions.TryGetValue(symbol, out var p) ? p.Leg.Held : default;

    private CrossLeg Leg(string symbol, CrossPosition p) =>
        new(p.Side.Sign(), p.Quantity, p.EntryPrice, markets[symbol].MarkPrice, p.Leverage, markets[symbol].Spec.Brackets());
}
