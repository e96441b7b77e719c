using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>Take-profit and stop-loss of cross positions: the account owns their triggers, as it owns the bands.</summary>
public sealed partial class AccountGrain
{
    private PublishedOrders? crossOrders;

    private PublishedOrders CrossOrders => crossOrders ??= new PublishedOrders(GrainFactory, TriggerOwnerKind.CrossAccount, Id);

    /// <summary>
    /// After a band check left the account solvent: closes each cross position on <paramref name="symbol"/>
    /// whose order the mark crosses (a command like any close, journaled as the order), and
    /// registers the others' orders again to answer the wake-up.
    /// </summary>
    private async Task CheckCrossOrders(string symbol)
    {
        if (await Market(symbol).GetSnapshot() is not { HasMark: true } market)
        {
            return;
        }

        foreach (var leg in CrossLegsOn(symbol))
        {
            if (Account.CrossAt(leg) is { } held && TakeProfitStopLoss.Crossed(held.Side, held.TakeProfit, held.StopLoss, market.MarkPrice) is { } kind)
            {
                await RunCross(TriggeredRequestId(leg, kind, Account.JournalSequence), leg, 0m, _ => Rejected.Ok, book => book.CloseBy(leg, kind));
            }
            else
            {
                await PublishCrossOrders(leg, force: true, _ => Task.FromResult<MarketSnapshot?>(market));
            }
        }
    }

    /// <summary>
    /// The cross positions on the symbol, and those whose orders this activation may still have
    /// registered there; with none, every leg the symbol can have, so a stale order an earlier
    /// activation left (the wake-up names only the symbol) is removed.
    /// </summary>
    private List<LegKey> CrossLegsOn(string symbol)
    {
        List<LegKey> legs = [.. Account.CrossPositions.Keys.Select(LegKey.Parse).Union(CrossOrders.Legs).Where(l => l.Symbol == symbol)];
        return legs.Count > 0 ? legs : [.. Enum.GetValues<LegSide>().Select(side => new LegKey(symbol, side))];
    }

    /// <summary>Every position's orders that changed with the last state write, and those of positions no longer held.</summary>
    private async Task PublishCrossOrders(IReadOnlyDictionary<string, MarketSnapshot>? markets)
    {
        foreach (var leg in Account.CrossPositions.Keys.Select(LegKey.Parse).Union(CrossOrders.Legs).ToList())
        {
            await PublishCrossOrders(leg, force: false, s => MarketOf(s, markets));
        }
    }

    private Task PublishCrossOrders(LegKey leg, bool force, Func<string, Task<MarketSnapshot?>> market) =>
        CrossOrders.Publish(leg, Account.CrossAt(leg) is { } p ? (p.Side, p.TakeProfit, p.StopLoss) : null, force, market);
}
