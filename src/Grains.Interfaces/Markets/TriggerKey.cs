using MarginOrleans.Positions;

namespace MarginOrleans.Markets;

/// <summary>Who a trigger wakes: an isolated position (keyed by account and leg) or a cross account.</summary>
public enum TriggerOwnerKind
{
    Position = 1,
    CrossAccount = 2,
}

/// <summary>What a trigger stands for. A cross account's liquidation trigger is its band (docs/margin-math.md).</summary>
public enum TriggerKind
{
    Liquidation = 1,
    TakeProfit = 2,
    StopLoss = 3,

    /// <summary>A conditional order's stop or take-profit price: it wakes the account with the order's id.</summary>
    Order = 4,

    /// <summary>A trailing stop order: kept in the shard's trailing book, not in the sorted lanes, until it fires.</summary>
    TrailingStop = 5,
}

/// <summary>
/// The typed key of a trigger entry: one owner holds several (its liquidation, a take-profit, a
/// stop-loss) in one market. Its text — what the index, the shard's rows and the shard hash hold —
/// is the account id with a prefix per kind: none for a position's liquidation and "x:" for a cross
/// band (the forms stored before there were kinds), "tp:", "sl:", "xtp:", "xsl:" for the orders;
/// a hedge leg's triggers add ".LONG" or ".SHORT" (a one-way leg's add nothing, as stored before legs).
/// A conditional order's is "o:" or "ts:" (trailing), the account id, '~' and the order id: its leg is in the order.
/// The text is a table row key, so it holds no '/', '\', '#' or '?'; account ids hold no ':' and no '.'
/// (letters, digits, '-', '_').
/// </summary>
public readonly record struct TriggerKey(TriggerOwnerKind Owner, string AccountId, TriggerKind Kind, LegSide Leg = LegSide.Both, long OrderId = 0)
{
    private static readonly (string Prefix, TriggerOwnerKind Owner, TriggerKind Kind)[] Prefixes =
    [
        ("x:", TriggerOwnerKind.CrossAccount, TriggerKind.Liquidation),
        ("tp:", TriggerOwnerKind.Position, TriggerKind.TakeProfit),
        ("sl:", TriggerOwnerKind.Position, TriggerKind.StopLoss),
        ("xtp:", TriggerOwnerKind.CrossAccount, TriggerKind.TakeProfit),
        ("xsl:", TriggerOwnerKind.CrossAccount, TriggerKind.StopLoss),
        ("o:", TriggerOwnerKind.CrossAccount, TriggerKind.Order),
        ("ts:", TriggerOwnerKind.CrossAccount, TriggerKind.TrailingStop),
    ];

    public static TriggerKey Liquidation(string accountId, LegSide leg = LegSide.Both) => new(TriggerOwnerKind.Position, accountId, TriggerKind.Liquidation, leg);

    public static TriggerKey Band(string accountId, LegSide leg = LegSide.Both) => new(TriggerOwnerKind.CrossAccount, accountId, TriggerKind.Liquidation, leg);

    /// <summary>The trigger of the account's conditional order: the account is woken with the order's id.</summary>
    public static TriggerKey Order(string accountId, long orderId, bool trailing) =>
        new(TriggerOwnerKind.CrossAccount, accountId, trailing ? TriggerKind.TrailingStop : TriggerKind.Order, LegSide.Both, orderId);

    public bool IsOrder => Kind is TriggerKind.Order or TriggerKind.TrailingStop;

    public static TriggerKey Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var leg = dot < 0 ? LegSide.Both : Enum.Parse<LegSide>(text[(dot + 1)..], ignoreCase: true);
        var owned = dot < 0 ? text : text[..dot];
        var colon = owned.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var prefix = owned[..(colon + 1)];
            foreach (var (p, owner, kind) in Prefixes)
            {
                if (p == prefix)
                {
                    var account = owned[(colon + 1)..];
                    var tilde = account.IndexOf('~', StringComparison.Ordinal);
                    return tilde < 0 ? new TriggerKey(owner, account, kind, leg)
                        : new TriggerKey(owner, account[..tilde], kind, leg, long.Parse(account[(tilde + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return Liquidation(owned, leg);
    }

    /// <summary>The position this trigger belongs to on <paramref name="symbol"/>'s market.</summary>
    public LegKey LegOn(string symbol) => new(symbol, Leg);

    public override string ToString()
    {
        var leg = Leg == LegSide.Both ? "" : "." + Leg.ToString().ToUpperInvariant();
        foreach (var (prefix, owner, kind) in Prefixes)
        {
            if (owner == Owner && kind == Kind)
            {
                return prefix + AccountId + (IsOrder ? "~" + OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + leg;
            }
        }

        return AccountId + leg;
    }
}
