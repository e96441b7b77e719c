using MarginOrleans.Markets;

namespace MarginOrleans.Positions;

/// <summary>
/// The position's entries in its market's trigger index: which it needs, which its row holds, and
/// the calls that tell its shards, in the order that keeps each early, never late.
/// </summary>
public sealed partial class IsolatedPositionGrain
{
    /// <summary>The trigger this activation has published; unknown (null) until the first publish.</summary>
    private TriggerEntry? published;
    private bool publishedKnown;

    /// <summary>The take-profit and stop-loss entries this activation has published (none known at activation).</summary>
    private PublishedOrders? orders;

    /// <summary>
    /// The trigger a position needs: its liquidation price while open; while flat with a liquidation
    /// still to deliver, the trigger that fired, kept (no row write on the happy path), so that a
    /// crash before delivery still wakes it; an entry every mark crosses if it had none.
    /// </summary>
    private TriggerEntry? Plan(MarketSnapshot market) => !Position.IsOpen && !OutboxEmpty
        ? published ?? DurableWakeUp.For(Trigger)
        : TriggerPlan.For(Position, Trigger, market.Spec.Brackets());

    private Task PublishOrders(MarketSnapshot market, bool force, TriggerKind? woken = null) =>
        (orders ??= new PublishedOrders(GrainFactory, TriggerOwnerKind.Position, AccountId, RowEntry))
            .Publish(Leg, Position.IsOpen ? (Position.Side, Position.TakeProfit, Position.StopLoss) : null, force, _ => Task.FromResult<MarketSnapshot?>(market), woken);

    /// <summary>
    /// The entries this position's row is to hold, each with its shard: its liquidation trigger
    /// <paramref name="liquidation"/> and its orders while open.
    /// </summary>
    private List<RowTrigger> RowTriggers(TriggerEntry? liquidation, MarketSpec spec) =>
        [.. PublishedOrders.Entries(TriggerOwnerKind.Position, AccountId, Leg, Position.IsOpen ? (Position.Side, Position.TakeProfit, Position.StopLoss) : null)
            .Select(order => order.Entry).Prepend(liquidation).OfType<TriggerEntry>()
            .Select(entry => new RowTrigger(TriggerShards.Of(entry.Owner, spec.ShardCount), entry))];

    /// <summary>The entry of <paramref name="owner"/> that this position's row holds, if any.</summary>
    private TriggerEntry? RowEntry(string owner) => Position.RowTriggers.Find(t => t.Entry.Owner == owner)?.Entry;

    /// <summary>
    /// Tells this position's shard of its liquidation trigger. An entry its row holds (or will once
    /// the write that follows is through: not <paramref name="written"/>) the shard holds in memory;
    /// any other (a durable wake-up, a plan moved by new brackets with nothing to write) it stores,
    /// answering once its row fires no later than the entry. A removal while the row still names the
    /// entry (a delivered liquidation's) leaves a release row; a flat position keeping the entry it
    /// published while it delivers says so instead — unless the entry is <paramref name="retold"/>,
    /// told before the write and again after it.
    /// </summary>
    private async Task Publish(TriggerEntry? next, MarketSnapshot market, bool written = true, bool retold = false)
    {
        var owner = Trigger.ToString();
        var shard = GrainFactory.For(market.Spec, owner);
        var delivering = !retold && publishedKnown && next == published && !Position.IsOpen && !OutboxEmpty;
        var held = RowEntry(owner);
        await (next is null ? (held is null ? shard.Remove(owner) : shard.Release(held))
            : delivering ? shard.Delivering(owner)
            : next == held ? shard.Hold(next, market.MarkPrice, written)
            : shard.Register(next, market.MarkPrice));
        (published, publishedKnown) = (next, true);
    }
}
