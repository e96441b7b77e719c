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
}

/// <summary>
/// The typed key of a trigger entry: one owner holds several (its liquidation, a take-profit, a
/// stop-loss) in one market. Its text — what the index, the shard's rows and the shard hash hold —
/// is the account id with a prefix per kind: none for a position's liquidation and "x:" for a cross
/// band (the forms stored before there were kinds), "tp:", "sl:", "xtp:", "xsl:" for the orders;
/// a hedge leg's triggers add ".LONG" or ".SHORT" (a one-way leg's add nothing, as stored before legs).
/// The text is a table row key, so it holds no '/', '\', '#' or '?'; account ids hold no ':' and no '.'
/// (letters, digits, '-', '_').
/// </summary>
public readonly record struct TriggerKey(TriggerOwnerKind Owner, string AccountId, TriggerKind Kind, LegSide Leg = LegSide.Both)
{
    private static readonly (string Prefix, TriggerOwnerKind Owner, TriggerKind Kind)[] Prefixes =
    [
        ("x:", TriggerOwnerKind.CrossAccount, TriggerKind.Liquidation),
        ("tp:", TriggerOwnerKind.Position, TriggerKind.TakeProfit),
        ("sl:", TriggerOwnerKind.Position, TriggerKind.StopLoss),
        ("xtp:", TriggerOwnerKind.CrossAccount, TriggerKind.TakeProfit),
        ("xsl:", TriggerOwnerKind.CrossAccount, TriggerKind.StopLoss),
    ];

    public static TriggerKey Liquidation(string accountId, LegSide leg = LegSide.Both) => new(TriggerOwnerKind.Position, accountId, TriggerKind.Liquidation, leg);

    public static TriggerKey Band(string accountId, LegSide leg = LegSide.Both) => new(TriggerOwnerKind.CrossAccount, accountId, TriggerKind.Liquidation, leg);

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
                    return new TriggerKey(owner, owned[(colon + 1)..], kind, leg);
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
                return prefix + AccountId + leg;
            }
        }

        return AccountId + leg;
    }
}
