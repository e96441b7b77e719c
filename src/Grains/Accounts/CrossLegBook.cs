using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// One cross position in the shared <see cref="PositionBook"/>: the account's wallet backs its leg,
/// so a fill costs only its fee (its IM counts against the available balance) and a close realizes
/// its PnL into the wallet against the house, uncapped.
/// </summary>
public sealed class CrossLegBook(AccountState account, CrossBook book, LegKey key, MarketSnapshot market) : PositionBook(market)
{
    protected override Leg Leg => account.CrossAt(key) is { } p ? p.Leg : new Leg(PositionSide.Long, 0m, 0m, 0);

    protected override string Name => $"cross position on {key.Symbol}";

    protected override PositionOutcome Add(OpenOrder order, int leverage, JournalKind kind)
    {
        var held = Leg;
        var fee = IsolatedMath.Fee(order.Quantity * Mark, Market.Spec.TakerFeeRate);
        if (Fills.CheckAdd(held.Held, order, leverage, Market, order.Quantity * Mark / leverage, fee, book.Available) is { IsOk: false } bad)
        {
            return PositionOutcome.Refused(bad.Reason, bad.Detail);
        }

        Write(held.Added(order.Side, order.Quantity, Mark, leverage, order.TakeProfit, order.StopLoss).Charged(fee));
        return book.Book(key, kind, 0m, fee);
    }

    protected override PositionOutcome Reduce(decimal quantity, JournalKind kind)
    {
        var held = Leg;
        var realized = Fills.Realized(held.Held, quantity, Mark);
        var fee = IsolatedMath.Fee(quantity * Mark, Market.Spec.TakerFeeRate);
        Write(held.Charged(fee).Reduced(quantity));
        return book.Book(key, kind, realized, fee);
    }

    protected override PositionOutcome SetOrders(Leg leg)
    {
        Write(leg);
        return book.Book(key, JournalKind.TakeProfitStopLossSet, 0m, 0m);
    }

    protected override object Snapshot() => (account.CrossAt(key)?.Copy(), account.WalletBalance, account.HouseLeg);

    protected override void Restore(object snapshot)
    {
        var (position, wallet, house) = ((CrossPosition?, decimal, decimal))snapshot;
        (account.WalletBalance, account.HouseLeg) = (wallet, house);
        if (position is null)
        {
            account.CrossPositions.Remove(key.ToString());
        }
        else
        {
            account.CrossPositions[key.ToString()] = position;
        }
    }

    /// <summary>Takes <paramref name="quantity"/> off the leg with no money moving (the caller books it): a step-down, auto-deleveraging.</summary>
    public void Take(decimal quantity) => Write(Leg.Reduced(quantity));

    /// <summary>The leg into the account's state: a new position starts settled at the market's funding point; a flat one leaves.</summary>
    private void Write(Leg leg)
    {
        if (!leg.IsOpen)
        {
            account.CrossPositions.Remove(key.ToString());
            return;
        }

        var p = account.CrossAt(key) ?? (account.CrossPositions[key.ToString()] = new CrossPosition { Funding = Market.Funding.Point });
        p.Leg = leg;
    }
}
