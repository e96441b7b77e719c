using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>Take-profit and stop-loss of cross positions: the account owns their triggers, as it owns the bands.</summary>
public sealed partial class AccountGrain
{
    private PublishedOrders? crossOrders;

    private PublishedOrders CrossOrders => crossOrders ??= new PublishedOrders(GrainFactory, TriggerOwnerKind.CrossAccount, Id);

    /// <summary>
    /// After a band check left the account solvent: closes the position on <paramref name="symbol"/>
    /// if the mark crosses one of its orders (a command like any close, journaled as the order),
    /// else registers its orders again to answer the wake-up.
    /// </summary>
    private async Task CheckCrossOrders(string symbol)
    {
        if (await Market(symbol).GetSnapshot() is not { HasMark: true } market)
        {
            return;
        }

        if (Account.CrossPositions.TryGetValue(symbol, out var held)
            && TakeProfitStopLoss.Crossed(held.Side, held.TakeProfit, held.StopLoss, market.MarkPrice) is { } kind)
        {
            await RunCross(TriggeredRequestId(symbol, kind, Account.JournalSequence), symbol, 0m, _ => Rejected.Ok, book => book.CloseBy(symbol, kind));
            return;
        }

        await PublishCrossOrders(symbol, force: true, _ => Task.FromResult<MarketSnapshot?>(market));
    }

    /// <summary>Every symbol's orders that changed with the last state write, and those of symbols no longer held.</summary>
    private async Task PublishCrossOrders(IReadOnlyDictionary<string, MarketSnapshot>? markets)
    {
        foreach (var symbol in Account.CrossPositions.Keys.Union(CrossOrders.Symbols).ToList())
        {
            await PublishCrossOrders(symbol, force: false, s => markets?.GetValueOrDefault(s) is { } known ? Task.FromResult<MarketSnapshot?>(known) : Market(s).GetSnapshot());
        }
    }

    private Task PublishCrossOrders(string symbol, bool force, Func<string, Task<MarketSnapshot?>> market) =>
        CrossOrders.Publish(symbol, Account.CrossPositions.GetValueOrDefault(symbol) is { } p ? (p.Side, p.TakeProfit, p.StopLoss) : null, force, market);
}
