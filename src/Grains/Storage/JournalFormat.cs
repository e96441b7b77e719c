using MarginOrleans.Accounts;
using MarginOrleans.Markets;

namespace MarginOrleans.Storage;

/// <summary>
/// The shapes a journal row has been stored in. Format 1 (rows with no <c>Format</c> column)
/// punned a kind's details into other columns: a <c>LeverageSet</c>'s leverage, a
/// <c>MarginModeSet</c>'s mode (its number) and a <c>RiskPolicySet</c>'s leverage cap in
/// <c>Quantity</c>, and a cross liquidation's transfer row the fund's key in <c>Symbol</c>.
/// Format 2 stores each in a column of its own. Rows are never rewritten, so a format-1 row is
/// mapped to the typed shape every time it is read.
/// </summary>
public static class JournalFormat
{
    /// <summary>The format of a row with no <c>Format</c> column: details punned.</summary>
    public const int Original = 1;

    /// <summary>The format written now: each detail in its own column.</summary>
    public const int Current = 2;

    /// <summary>
    /// The entry with its kind's details in their own fields: a punned one mapped, any other
    /// returned as it is. A setting's row held no position quantity then, so its quantity is 0.
    /// Entries kept in an account's state by a build before the typed fields read with those
    /// fields null, which is why writing maps them too.
    /// </summary>
    public static JournalEntry Typed(JournalEntry entry) => entry switch
    {
        { Kind: JournalKind.LeverageSet, Leverage: null } => entry with { Leverage = Whole(entry.Quantity), Quantity = 0m },
        { Kind: JournalKind.MarginModeSet, MarginMode: null } => entry with { MarginMode = (MarginMode)Whole(entry.Quantity), Quantity = 0m },
        { Kind: JournalKind.RiskPolicySet, LeverageCap: null } => entry with { LeverageCap = Whole(entry.Quantity), Quantity = 0m },

        // Only the transfer row of a cross liquidation had neither quantity nor price: every close has both.
        { Kind: JournalKind.Liquidation, Fund: null, Quantity: 0m, Price: 0m, Symbol.Length: > 0 } => entry with { Fund = entry.Symbol, Symbol = "" },
        _ => entry,
    };

    private static int Whole(decimal punned)
    {
        Invariant.Assert(punned == decimal.Truncate(punned), $"a punned setting is a whole number, not {punned}");
        return (int)punned;
    }
}
