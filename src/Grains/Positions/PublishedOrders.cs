using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// The take-profit and stop-loss entries one owner (an isolated position, or a cross account
/// across its symbols) has told its shards, and the calls that keep them current. Told after the
/// state write; the owner re-publishes on activation, so a crash in between loses none. An isolated
/// position's row holds its entries (<paramref name="row"/>: the entry it holds for a key): its shard
/// only holds those in memory; any other the shard stores.
/// </summary>
public sealed class PublishedOrders(IGrainFactory grains, TriggerOwnerKind owner, string accountId, Func<string, TriggerEntry?>? row = null)
{
    private static readonly TriggerKind[] Kinds = [TriggerKind.TakeProfit, TriggerKind.StopLoss];

    private readonly Dictionary<(LegKey Leg, TriggerKind Kind), TriggerEntry?> published = [];

    /// <summary>Positions with an order registered (or possibly registered) by this activation.</summary>
    public IEnumerable<LegKey> Legs => published.Where(p => p.Value is not null).Select(p => p.Key.Leg).Distinct();

    /// <summary>
    /// Registers the orders of the position <paramref name="leg"/> that changed — removes them
    /// when <paramref name="position"/> is null. Forced (an answer to a wake-up), present orders are
    /// registered again; a known absent one costs no call, so a liquidation's wake-up stays cheap —
    /// unless the wake-up was its own (<paramref name="woken"/>): then a row whose removal a crash
    /// lost is in the index, and is removed again. The market is read only when there is something to send.
    /// </summary>
    public async Task Publish(LegKey leg, (PositionSide Side, decimal? TakeProfit, decimal? StopLoss)? position, bool force,
        Func<string, Task<MarketSnapshot?>> market, TriggerKind? woken = null)
    {
        MarketSnapshot? snapshot = null;
        foreach (var (kind, next) in Entries(owner, accountId, leg, position))
        {
            var key = new TriggerKey(owner, accountId, kind, leg.Side);
            var known = published.TryGetValue((leg, kind), out var last);
            if (known && last == next && !(force && (next is not null || kind == woken)))
            {
                continue;
            }

            snapshot ??= await market(leg.Symbol);
            if (snapshot is null)
            {
                return;
            }

            var (text, shard) = (key.ToString(), grains.For(snapshot.Spec, key.ToString()));
            var held = row?.Invoke(text);
            await (next is null ? (held is null ? shard.Remove(text) : shard.Release(held))
                : next == held ? shard.Hold(next, snapshot.MarkPrice, stored: true)
                : shard.Register(next, snapshot.MarkPrice));
            published[(leg, kind)] = next;
        }
    }

    /// <summary>The take-profit and stop-loss entries of a position (none where it has no order, or is <paramref name="position"/> null: flat).</summary>
    public static IEnumerable<(TriggerKind Kind, TriggerEntry? Entry)> Entries(TriggerOwnerKind owner, string accountId, LegKey leg,
        (PositionSide Side, decimal? TakeProfit, decimal? StopLoss)? position) =>
        Kinds.Select(kind => (kind, position is { } p
            ? TakeProfitStopLoss.Entry(new TriggerKey(owner, accountId, kind, leg.Side), p.Side, kind == TriggerKind.TakeProfit ? p.TakeProfit : p.StopLoss)
            : null));
}
