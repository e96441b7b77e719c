namespace MarginOrleans.Markets;

/// <summary>Who a trigger wakes: an isolated position (keyed by account and symbol) or a cross account.</summary>
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
/// band (the forms stored before there were kinds), "tp:", "sl:", "xtp:", "xsl:" for the orders.
/// Account ids hold no ':' (letters, digits, '-', '_').
/// </summary>
public readonly record struct TriggerKey(TriggerOwnerKind Owner, string AccountId, TriggerKind Kind)
{
    private static readonly (string Prefix, TriggerOwnerKind Owner, TriggerKind Kind)[] Prefixes =
    [
        ("x:", TriggerOwnerKind.CrossAccount, TriggerKind.Liquidation),
        ("tp:", TriggerOwnerKind.Position, TriggerKind.TakeProfit),
        ("sl:", TriggerOwnerKind.Position, TriggerKind.StopLoss),
        ("xtp:", TriggerOwnerKind.CrossAccount, TriggerKind.TakeProfit),
        ("xsl:", TriggerOwnerKind.CrossAccount, TriggerKind.StopLoss),
    ];

    public static TriggerKey Liquidation(string accountId) => new(TriggerOwnerKind.Position, accountId, TriggerKind.Liquidation);

    public static TriggerKey Band(string accountId) => new(TriggerOwnerKind.CrossAccount, accountId, TriggerKind.Liquidation);

    public static TriggerKey Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon > 0)
        {
            var prefix = text[..(colon + 1)];
            foreach (var (p, owner, kind) in Prefixes)
            {
                if (p == prefix)
                {
                    return new TriggerKey(owner, text[(colon + 1)..], kind);
                }
            }
        }

        return Liquidation(text);
    }

    public override string ToString()
    {
        foreach (var (prefix, owner, kind) in Prefixes)
        {
            if (owner == Owner && kind == Kind)
            {
                return prefix + AccountId;
            }
        }

        return AccountId;
    }
}
