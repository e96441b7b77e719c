using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// The trigger bands a cross account keeps in its markets' indexes instead of being re-marked on
/// every tick (docs/margin-math.md, Cross bands), one per position (keyed by its <see cref="LegKey"/>
/// text; a one-way position's is its symbol): which band each needs now, which this
/// activation has published, and which change goes before the state write (one that fires no
/// later) and which after — so a crash in between leaves bands early, never late.
/// </summary>
public sealed class CrossBands
{
    private readonly Dictionary<string, TriggerEntry?> published = new(StringComparer.Ordinal);

    /// <summary>False until the first publish of this activation: before it, nothing published is known.</summary>
    public bool Known { get; private set; }

    public bool Any => published.Count > 0;

    /// <summary>
    /// The band each cross position needs at <paramref name="markets"/>' marks, and null for positions
    /// that had one and are closed. An account already at maintenance gets bands at the marks and
    /// <paramref name="wake"/> names a leg to check it on at once. Both legs of a hedged symbol
    /// move with one mark, yet a band per leg still fires in time: the move that costs one leg
    /// its share of the excess only adds to the other's (its uPnL rises faster than its MM).
    /// </summary>
    public Dictionary<string, TriggerEntry?> Plan(AccountState account, string accountId, IReadOnlyDictionary<string, MarketSnapshot> markets, out LegKey? wake)
    {
        var plan = published.Keys.ToDictionary(s => s, _ => (TriggerEntry?)null, StringComparer.Ordinal);
        wake = null;
        if (account.CrossPositions.Count == 0)
        {
            return plan;
        }

        var legs = new CrossBook(account, markets).Legs;
        var marked = legs.Select(l => l.Leg).ToList();
        var prices = CrossMath.Bands(account.WalletBalance, marked);
        for (var i = 0; i < legs.Count; i++)
        {
            var (key, leg) = legs[i];
            var price = prices is null ? leg.Mark : prices[i];
            var position = account.CrossAt(key)!;
            var frame = (position.Funding ?? FundingPoint.Zero).FrameOf(position.Side);
            var standing = new PositionStanding(position.Quantity, position.EntryPrice, CrossMath.EstimatedBankruptcyPrice(account.WalletBalance, marked, i));
            plan[key.ToString()] = price is { } p ? TriggerPlan.Entry(TriggerKey.Band(accountId, key.Side), position.Side, p, frame, standing) : null;
        }

        if (prices is null)
        {
            wake = legs[0].Key;
        }

        return plan;
    }

    /// <summary>Bands to publish before the state write: new ones that fire at every mark the published one fires at.</summary>
    public List<(string Leg, TriggerEntry? Next)> BeforeWrite(Dictionary<string, TriggerEntry?> plan) =>
        [.. plan.Where(b => Known && b.Value is not null && TriggerPlan.FiresNoLater(b.Value, published.GetValueOrDefault(b.Key))).Select(b => (b.Key, b.Value))];

    /// <summary>Bands that differ from what is published (all of them when <paramref name="force"/>, or before the first publish).</summary>
    public List<(string Leg, TriggerEntry? Next)> Changed(Dictionary<string, TriggerEntry?> plan, bool force = false) =>
        [.. plan.Where(b => force || !Known || published.GetValueOrDefault(b.Key) != b.Value).Select(b => (b.Key, b.Value))];

    /// <summary>Records a position's band the shard stored (or removed, when null).</summary>
    public void Published(string leg, TriggerEntry? next)
    {
        if (next is null)
        {
            published.Remove(leg);
        }
        else
        {
            published[leg] = next;
        }
    }

    /// <summary>Every band of the plan is now published as planned.</summary>
    public void AllPublished() => Known = true;
}
