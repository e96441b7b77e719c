using MarginOrleans.Markets;

namespace MarginOrleans.Orders;

/// <summary>
/// The trigger entries of an account's conditional orders, kept in step with its state: registered
/// after the state write that placed or amended them, removed after the one that ended them. The
/// account re-publishes all on activation, so a crash in between loses none; a stale entry left by a
/// crash fires, finds no order, and is removed then.
/// </summary>
public sealed class PublishedConditionals(IGrainFactory grains, string accountId)
{
    private readonly Dictionary<long, (string Symbol, TriggerEntry Entry)> published = [];

    /// <summary>Registers the orders whose entry changed (all when <paramref name="force"/>), removes those no longer held.</summary>
    public async Task Publish(IReadOnlyDictionary<long, PlacedOrder> orders, bool force, Func<string, Task<MarketSnapshot?>> market)
    {
        foreach (var placed in orders.Values)
        {
            var entry = OrderRules.Entry(accountId, placed);
            if (force || !published.TryGetValue(placed.OrderId, out var last) || last.Entry != entry)
            {
                await Register(placed.Order.Symbol, entry, market);
                published[placed.OrderId] = (placed.Order.Symbol, entry);
            }
        }

        foreach (var (id, (symbol, entry)) in published.Where(p => !orders.ContainsKey(p.Key)).ToList())
        {
            await Remove(symbol, entry.Owner, market);
            published.Remove(id);
        }
    }

    /// <summary>Removes the entries an order id may have on the symbol: a stale wake-up names no kind.</summary>
    public async Task RemoveStale(string symbol, long orderId, Func<string, Task<MarketSnapshot?>> market)
    {
        foreach (var trailing in new[] { false, true })
        {
            await Remove(symbol, TriggerKey.Order(accountId, orderId, trailing).ToString(), market);
        }
    }

    private async Task Register(string symbol, TriggerEntry entry, Func<string, Task<MarketSnapshot?>> market)
    {
        if (await market(symbol) is { } snapshot)
        {
            await grains.For(snapshot.Spec, entry.Owner).Register(entry, snapshot.MarkPrice);
        }
    }

    private async Task Remove(string symbol, string owner, Func<string, Task<MarketSnapshot?>> market)
    {
        if (await market(symbol) is { } snapshot)
        {
            await grains.For(snapshot.Spec, owner).Remove(owner);
        }
    }
}
