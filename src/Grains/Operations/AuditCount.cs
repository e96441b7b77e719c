using MarginOrleans.Accounts;

namespace MarginOrleans.Operations;

/// <summary>
/// One pass of the conservation audit: every account's ledger added, then the funds as read just
/// before and just after the accounts. Money in flight is counted explicitly, once: a transfer a
/// fund has already applied is in the fund, not in flight, even while its sender still lists it,
/// and an operator's move whose second half has not landed is in flight between the two funds.
/// </summary>
public sealed class AuditCount
{
    private readonly HashSet<string> inFlightTransfers = new(StringComparer.Ordinal);
    private AuditReport totals = new(0m, 0m, 0m, 0m, 0m, 0m, 0m, 0);

    public void Add(AccountLedger ledger)
    {
        totals = totals with
        {
            Deposits = totals.Deposits + ledger.Deposits,
            Withdrawals = totals.Withdrawals + ledger.Withdrawals,
            Wallets = totals.Wallets + ledger.WalletBalance,
            IsolatedMargins = totals.IsolatedMargins + ledger.IsolatedMargin,
            House = totals.House + ledger.HouseLeg,
            InFlight = totals.InFlight + ledger.InFlight,
            Accounts = totals.Accounts + 1,
        };
        inFlightTransfers.UnionWith(ledger.InFlightTransfers ?? []);
    }

    /// <summary>
    /// No fund moved while the accounts were read: every transfer that landed during the pass
    /// changes a fund's figures, so equal figures before and after make the pass one consistent
    /// snapshot (transfers applied before it are told apart by their ids).
    /// </summary>
    public static bool Still(IReadOnlyList<FundAudit> before, IReadOnlyList<FundAudit> after) =>
        before.Count == after.Count && before.Zip(after).All(p =>
            p.First.Fund == p.Second.Fund && p.First.View == p.Second.View && p.First.Movements.Count == p.Second.Movements.Count);

    public AuditReport Report(IReadOnlyList<FundAudit> before, IReadOnlyList<FundAudit> after)
    {
        var applied = before.Concat(after).SelectMany(f => f.Applied)
            .DistinctBy(a => a.Key).Where(a => inFlightTransfers.Contains(a.Key)).Sum(a => a.Value);
        var movedIn = after.SelectMany(f => f.Movements.Where(m => m.Kind == FundMovementKind.MovedIn).Select(m => (To: f.Fund, m.RequestId))).ToHashSet();
        var moving = after.SelectMany(f => f.Movements.Where(m => m.Kind == FundMovementKind.MovedOut && !movedIn.Contains((m.OtherFund, m.RequestId))))
            .Sum(m => -m.Amount);
        return totals with
        {
            InFlight = totals.InFlight - applied + moving,
            InsuranceFund = after.Sum(f => f.View.Balance),
            FundTopUps = after.Sum(f => f.View.ToppedUp),
            FundsOwed = after.Sum(f => f.View.Owed),
        };
    }
}
