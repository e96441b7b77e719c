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
public sealed class CrossBook(AccountState account, IReadOnlyDictionary<string, MarketSnapshot> markets)
{
    public IReadOnlyList<(LegKey Key, CrossLeg Leg)> Legs =>
        [.. account.CrossPositions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (LegKey.Parse(p.Key), Leg(LegKey.Parse(p.Key).Symbol, p.Value)))];

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
            return legs.Any(l => !markets[l.Key.Symbol].Stale) && CrossMath.IsLiquidatable(account.WalletBalance,
                [.. legs.Select(l => markets[l.Key.Symbol].Stale && l.Leg.UnrealizedPnl > 0m ? l.Leg with { Mark = l.Leg.Entry } : l.Leg)]);
        }
    }

    public decimal Available => CrossMath.Available(account.WalletBalance, Marked);

    /// <summary>
    /// What may leave the wallet, withdrawn or moved into an isolated position: Binance's
    /// max withdrawal and max addable are the same figure with no open orders.
    /// </summary>
    public decimal MaxWithdrawal => account.CrossPositions.Count == 0 ? account.WalletBalance : CrossMath.MaxWithdrawal(account.WalletBalance, Marked);

    /// <summary>The shared commands (open, close, orders) on a cross position.</summary>
    public PositionOutcome Open(OpenOrder order, int leverage) => On(order.Leg).Open(order, leverage);

    public PositionOutcome Close(LegKey leg, decimal? requested, JournalKind closedAs = JournalKind.PositionClosed) =>
        On(leg).Close(requested, closedAs);

    public PositionOutcome SetTakeProfitStopLoss(LegKey leg, decimal? takeProfit, decimal? stopLoss) =>
        On(leg).SetTakeProfitStopLoss(takeProfit, stopLoss);

    public PositionOutcome CloseBy(LegKey leg, TriggerKind kind) => On(leg).CloseBy(kind);

    /// <summary>
    /// Partial liquidation of a cross account at maintenance: steps down its largest-bracket
    /// position first (the largest notional among equals) to the bracket below, realizing the
    /// slice's PnL into the wallet against the house, and again while still at maintenance and
    /// some position can step down. Returns each step for the journal.
    /// </summary>
    public List<(LegKey Key, decimal Quantity, decimal Realized)> StepDown()
    {
        var steps = new List<(LegKey, decimal, decimal)>();
        while (IsLiquidatable)
        {
            var candidate = Legs
                .Select(l => (l.Key, l.Leg, Keep: Fills.StepDownTo(l.Leg.Brackets, l.Leg.Quantity, l.Leg.Mark, markets[l.Key.Symbol].Spec.LotSize)))
                .Where(c => c.Keep is not null && !markets[c.Key.Symbol].Stale)
                .OrderByDescending(c => (c.Leg.Brackets.For(c.Leg.Notional) ?? c.Leg.Brackets.Tiers[^1]).MaintenanceMarginRate).ThenByDescending(c => c.Leg.Notional)
                .FirstOrDefault();
            if (candidate.Keep is not { } keep)
            {
                break;
            }

            var slice = candidate.Leg.Quantity - keep;
            var realized = Fills.Realized(Held(candidate.Key), slice, candidate.Leg.Mark);
            On(candidate.Key).Take(slice);
            (account.WalletBalance, account.HouseLeg) = (account.WalletBalance + realized, account.HouseLeg - realized);
            steps.Add((candidate.Key, slice, realized));
        }

        return steps;
    }

    /// <summary>
    /// Auto-deleveraging of a cross position, the same rule as an isolated
    /// one: the fewest lots that cover the fund's need at the bankrupt position's price, no fee; the
    /// PnL at the mark less what it gives up goes to the wallet, what it gives up is recorded as a
    /// transfer to the symbol's fund (sent after the state write). The profit may be what keeps the
    /// account above maintenance: it gives up at most the excess the close leaves, never its solvency.
    /// </summary>
    public PositionOutcome Deleverage(LegKey leg, DeleverageOrder order)
    {
        var market = markets[leg.Symbol];
        var (quantity, given, realized) = Fills.Deleverage(Held(leg), order, market);
        given = Math.Min(given, Money.Receive(ExcessAfterClosing(leg, quantity, realized)));
        if (quantity == 0m || given <= 0m)
        {
            return PositionOutcome.Refused(Rejection.NothingToDeleverage, $"no {order.Side} cross position in profit on {leg.Symbol} with margin to spare");
        }

        On(leg).Take(quantity);
        var booked = Book(leg, JournalKind.AutoDeleveraged, realized, 0m);
        account.WalletBalance -= given;
        account.PendingFundTransfers.Add(new FundTransfer(order.TransferId, given, order.Fund));
        return booked with
        {
            WalletDelta = realized - given,
            RealizedPnl = realized - given,
            Quantity = quantity,
            FillPrice = Fills.DeleveragedPrice(order.Side, market.MarkPrice, quantity, given),
        };
    }

    /// <summary>Margin balance − Σ MM once <paramref name="quantity"/> of the leg closed at the mark, realizing <paramref name="realized"/>.</summary>
    private decimal ExcessAfterClosing(LegKey leg, decimal quantity, decimal realized)
    {
        var legs = Legs.Select(l => l.Key == leg ? l.Leg with { Quantity = l.Leg.Quantity - quantity } : l.Leg).Where(l => l.Quantity > 0m).ToList();
        return CrossMath.MarginBalance(account.WalletBalance + realized, legs) - CrossMath.MaintenanceMargin(legs);
    }

    /// <summary>
    /// Sets the symbol's leverage; on an open position the bracket holding its notional caps it
    /// and the new IM must leave the available balance non-negative.
    /// </summary>
    public PositionOutcome SetLeverage(string symbol, int leverage)
    {
        var mark = markets[symbol].MarkPrice;
        var held = Legs.Where(l => l.Key.Symbol == symbol).Select(l => account.CrossAt(l.Key)!).ToList(); // both legs in hedge mode
        var available = Available;
        foreach (var position in held)
        {
            var notional = position.Quantity * mark;
            if (markets[symbol].Spec.Brackets().CheckLeverage(notional, leverage) is { IsOk: false } capped)
            {
                return PositionOutcome.Refused(capped.Reason, capped.Detail);
            }

            available += notional / position.Leverage - notional / leverage;
        }

        if (available < 0m)
        {
            return PositionOutcome.Refused(Rejection.InsufficientBalance, $"{leverage}x would leave the available balance at {Money.Receive(available)}");
        }

        held.ForEach(p => p.Leverage = leverage);
        account.Leverage[symbol] = leverage;
        var shown = Legs.FirstOrDefault(l => l.Key.Symbol == symbol).Key;
        return new PositionOutcome(Rejected.Ok, 0m, 0m, 0m, mark, shown.Symbol is null ? null : View(shown), JournalKind.LeverageSet);
    }

    /// <summary>
    /// Closes everything at the marks; the remaining margin balance (or its deficit) goes to the
    /// funds of the symbols closed, shared by notional at the marks — each share rounded down, the
    /// last the exact complement, so the transfers sum to the balance.
    /// </summary>
    public (IReadOnlyList<FundTransfer> Transfers, IReadOnlyList<(LegKey Key, CrossPosition Position, decimal Realized)> Closed) Liquidate(string transferId)
    {
        var walletBefore = account.WalletBalance;
        var legs = Legs;
        var closed = legs.Select(l => (l.Key, account.CrossAt(l.Key)!, Money.Receive(l.Leg.UnrealizedPnl))).ToList();
        var realized = closed.Sum(c => c.Item3);
        var total = walletBefore + realized;
        var notional = legs.Sum(l => l.Leg.Notional);
        var transfers = new List<FundTransfer>();
        foreach (var (key, leg) in legs)
        {
            var share = transfers.Count == legs.Count - 1 || notional == 0m
                ? total - transfers.Sum(t => t.Amount)
                : Money.Receive(total * leg.Notional / notional);
            var deficit = share < 0m ? new Deficit(account.CrossAt(key)!.Side, leg.Quantity, leg.Mark, key.Symbol) : null;
            transfers.Add(new FundTransfer($"{transferId}/{key}", share, markets[key.Symbol].Spec.InsuranceFund, deficit));
            if (notional == 0m)
            {
                break;
            }
        }

        account.HouseLeg -= realized;
        account.WalletBalance = 0m;
        account.CrossPositions.Clear();
        Invariant.Assert(-realized + transfers.Sum(t => t.Amount) == walletBefore, "cross liquidation movements sum to the wallet balance");
        return (transfers, closed);
    }

    /// <summary>The open cross position <paramref name="key"/> with its estimated prices, every other symbol's mark held (docs/margin-math.md).</summary>
    public PositionView? View(LegKey key)
    {
        var legs = Legs;
        var i = legs.ToList().FindIndex(l => l.Key == key);
        if (i < 0)
        {
            return null;
        }

        // Both legs of a hedged symbol move with its one mark, so they share one liquidation price: the nearer one when there are two.
        var (p, leg, marked) = (account.CrossAt(key)!, legs[i].Leg, Marked);
        var symbols = legs.GroupBy(l => l.Key.Symbol).ToList();
        var liquidation = CrossSymbolMath.LiquidationPrice(account.WalletBalance,
            [.. symbols.Select(g => (IReadOnlyList<CrossLeg>)[.. g.Select(l => l.Leg)])], symbols.FindIndex(g => g.Key == key.Symbol));
        return new PositionView(key.Symbol, p.Side, p.Quantity, p.EntryPrice, p.Leverage, 0m, leg.Mark, leg.Notional,
            Money.Receive(leg.UnrealizedPnl), Money.Receive(leg.UnrealizedPnl), Money.Pay(leg.InitialMargin), Money.Pay(leg.MaintenanceMargin),
            Money.Price(liquidation),
            Money.Price(CrossMath.EstimatedBankruptcyPrice(account.WalletBalance, marked, i)), 0m, MarginMode.Cross, p.TakeProfit, p.StopLoss, key.Side,
            PositionFigures.RoePercent(Money.Receive(leg.UnrealizedPnl), p.Quantity, p.EntryPrice, p.Leverage),
            MarginCall.Ratio(Money.Pay(CrossMath.MaintenanceMargin(marked)), CrossMath.MarginBalance(account.WalletBalance, marked)), // the account's: one pool backs every cross position
            PositionFigures.MaxOpenableNotional(leg.Brackets, p.Leverage, leg.Notional),
            p.FundingSinceOpen,
            p.FeesSinceOpen,
            PositionFigures.BreakEvenPrice(p.Side.Sign(), p.Quantity, p.EntryPrice, p.FeesSinceOpen, p.FundingSinceOpen, markets[key.Symbol].Spec.TakerFeeRate));
    }

    /// <summary>Settles realized PnL and fee between wallet and house, the exact complement of each other.</summary>
    public PositionOutcome Book(LegKey leg, JournalKind kind, decimal realized, decimal fee)
    {
        var walletDelta = realized - fee;
        account.WalletBalance += walletDelta;
        account.HouseLeg += fee - realized;
        var view = View(leg);
        return new PositionOutcome(Rejected.Ok, walletDelta, realized, fee, markets[leg.Symbol].MarkPrice, view, kind,
            view is null ? "" : TakeProfitStopLoss.Note(view.Side, view.StopLoss, view.LiquidationPrice));
    }

    /// <summary>A cross position in the shared book.</summary>
    private CrossLegBook On(LegKey leg) => new(account, this, leg, markets[leg.Symbol]);

    private Fills.Held Held(LegKey leg) => account.CrossAt(leg) is { } p ? p.Leg.Held : default;

    private CrossLeg Leg(string symbol, CrossPosition p) =>
        new(p.Side.Sign(), p.Quantity, p.EntryPrice, markets[symbol].MarkPrice, p.Leverage, markets[symbol].Spec.Brackets());
}
