using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Storage;

namespace MarginOrleans.Accounts;

/// <summary>
/// The account's journal as its commands add to it: every row numbered, stamped with the engine
/// clock and showing the wallet its own move left. Rows wait in the state (<see cref="AccountState.UnwrittenJournal"/>)
/// and reach the journal table with the next write, so a row is never lost and never written twice.
/// </summary>
public sealed class AccountJournal(AccountState account, TimeProvider time)
{
    /// <summary>Adds a row; a kind's own details go in their own fields, never in the quantity or the symbol.</summary>
    public void Add(JournalKind kind, string symbol, decimal quantity, decimal price, decimal walletDelta, decimal realized, decimal fee, string requestId,
        int? leverage = null, MarginMode? mode = null, int? leverageCap = null, string? fund = null, LegSide legSide = LegSide.Both, PositionMode? positionMode = null,
        long? orderId = null, string? note = null)
    {
        var entry = new JournalEntry(++account.JournalSequence, time.GetUtcNow(), kind, symbol, quantity, price,
            walletDelta, realized, fee, account.WalletBalance, requestId, leverage, mode, leverageCap, fund, legSide, positionMode, orderId, note);
        Invariant.Assert(JournalFormat.Typed(entry) == entry, $"a {kind} row carries its details in their own fields");
        account.UnwrittenJournal.Add(entry);
        account.JournaledWallet = account.WalletBalance;
    }

    /// <summary>Journals wallet moves already booked, one row each, every row showing the wallet as its own move left it.</summary>
    public void WalletMoves(JournalKind kind, IReadOnlyList<(LegKey Leg, decimal Quantity, decimal Delta)> moves, IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var after = account.WalletBalance;
        account.WalletBalance -= moves.Sum(m => m.Delta);
        foreach (var (leg, quantity, delta) in moves)
        {
            account.WalletBalance += delta;
            Add(kind, leg.Symbol, quantity, markets[leg.Symbol].MarkPrice, delta, delta, 0m, "", legSide: leg.Side);
        }

        Invariant.Assert(account.WalletBalance == after, "the journal's running wallet ends where the moves left it");
    }

    /// <summary>
    /// A cross liquidation booked from <paramref name="walletBefore"/>: a row per close realizing its
    /// PnL, then a row per symbol's share leaving for its fund, the wallet ending at zero.
    /// </summary>
    public void CrossLiquidation(decimal walletBefore, IReadOnlyList<(LegKey Leg, decimal Quantity, decimal Realized)> closed,
        IReadOnlyList<FundTransfer> transfers, IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var after = account.WalletBalance;
        account.WalletBalance = walletBefore;
        foreach (var (leg, quantity, realized) in closed)
        {
            account.WalletBalance += realized;
            Add(JournalKind.Liquidation, leg.Symbol, quantity, markets[leg.Symbol].MarkPrice, realized, realized, 0m, "", legSide: leg.Side);
        }

        Invariant.Assert(account.WalletBalance == transfers.Sum(t => t.Amount), "the funds receive the margin balance left after the closes");
        foreach (var transfer in transfers)
        {
            account.WalletBalance -= transfer.Amount;
            Add(JournalKind.Liquidation, "", 0m, 0m, -transfer.Amount, 0m, 0m, "", fund: transfer.Fund);
        }

        Invariant.Assert(account.WalletBalance == after, "the liquidation's rows end where the book left the wallet");
    }
}
