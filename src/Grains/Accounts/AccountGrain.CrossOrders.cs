using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>Take-profit and stop-loss of cross positions: the account owns their triggers, as it owns the bands.</summary>
public sealed partial class AccountGrain
{
    private PublishedOrders? crossOrders;

    private PublishedOrders CrossOrders => crossOrders ??= new PublishedOrders(GrainFactory, TriggerOwnerKind.CrossAccount, Id);

    /// <summary>
    /// After a band check left the account solvent: closes each cross position on the symbol of
    /// <paramref name="woken"/> whose order the mark crosses (a command like any close, journaled as
    /// the order), and registers the others' orders again to answer the wake-up — removing the
    /// woken leg's order of kind <paramref name="kind"/> if the account holds none.
    /// </summary>
    private async Task CheckCrossOrders(LegKey woken, TriggerKind kind)
    {
        if (await Market(woken.Symbol).GetSnapshot() is not { HasMark: true } market)
        {
            return;
        }

        foreach (var leg in CrossLegsOn(woken))
        {
            if (Account.CrossAt(leg) is { } held && TakeProfitStopLoss.Crossed(held.Side, held.TakeProfit, held.StopLoss, market.MarkPrice) is { } crossed)
            {
                await RunCross(TriggeredRequestId(leg, crossed, Account.JournalSequence), leg, 0m, _ => Rejected.Ok, book => book.CloseBy(leg, crossed));
            }
            else
            {
                await CrossOrders.Publish(leg, OrdersOf(leg), force: true, _ => Task.FromResult<MarketSnapshot?>(market), leg == woken ? kind : null);
            }
        }
    }

    /// <summary>The woken leg, the cross positions on its symbol, and those whose orders this activation may still have registered there.</summary>
    private List<LegKey> CrossLegsOn(LegKey woken) =>
        [.. Account.CrossPositions.Keys.Select(LegKey.Parse).Union(CrossOrders.Legs).Where(l => l.Symbol == woken.Symbol).Union([woken])];

    /// <summary>Every position's orders that changed with the last state write, and those of positions no longer held.</summary>
    private async Task PublishCrossOrders(IReadOnlyDictionary<string, MarketSnapshot>? markets)
    {
        foreach (var leg in Account.CrossPositions.Keys.Select(LegKey.Parse).Union(CrossOrders.Legs).ToList())
        {
            await CrossOrders.Publish(leg, OrdersOf(leg), force: false, s => MarketOf(s, markets));
        }
    }

    /// <summary>The take-profit and stop-loss the cross position on <paramref name="leg"/> holds; null if none is held.</summary>
    private (PositionSide Side, decimal? TakeProfit, decimal? StopLoss)? OrdersOf(LegKey leg) =>
        Account.CrossAt(leg) is { } p ? (p.Side, p.TakeProfit, p.StopLoss) : null;
}
