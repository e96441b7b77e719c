using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Accounts;

/// <summary>
/// What the account's isolated positions report (liquidations, funding, fills they made on their
/// own), journaled once each with their transfers to the funds, and the audit's figures, which count
/// a transfer as in flight until that journal row is written.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>The audit's figures, funding owed settled first (cross here, isolated by each position): the audit counts settled money only.</summary>
    public async Task<AccountLedger> GetLedger()
    {
        faults.At(FaultPoints.LedgerUnanswered, Id);
        await SettlePending();
        await Cross();

        var positions = await Task.WhenAll(Account.IsolatedLegs.Select(l => Position(LegKey.Parse(l)).GetLedger()));

        // A liquidation this account has journaled is in its fund, whatever its position still lists.
        FundTransfer[] own = [.. Account.PendingFundTransfers, .. new[] { Account.PendingFundTransfer }.OfType<FundTransfer>(),
            .. positions.SelectMany(p => p.Unreported ?? []).Where(e => e.Number > Account.JournaledEvents.GetValueOrDefault(e.Leg.ToString())).Select(e => e.Transfer!)];
        return new AccountLedger(Account.Deposits, Account.Withdrawals, Account.WalletBalance, positions.Sum(p => p.IsolatedMargin),
            Account.HouseLeg + positions.Sum(p => p.HouseLeg), positions.Sum(p => p.InFlight) + own.Sum(t => t.Amount),
            [.. own.Select(t => t.Id), .. positions.SelectMany(p => p.InFlightTransfers ?? [])]);
    }

    /// <summary>
    /// Journals each event once. A liquidation's transfer is applied to its fund first, and the row
    /// written only once the fund holds it durably: a journaled liquidation is a delivered transfer,
    /// so a re-sent report of one is only acknowledged, and the fund may forget the id once the row is.
    /// </summary>
    public async Task OnPositionEvents(IReadOnlyList<PositionEvent> events)
    {
        var fresh = Unjournaled(events);
        FundTransfer[] transfers = [.. fresh.Select(e => e.Transfer).OfType<FundTransfer>()];
        foreach (var transfer in transfers)
        {
            if (!await Applied(transfer))
            {
                return;
            }

            faults.At(FaultPoints.TransferApplied, transfer.Id);
        }

        foreach (var e in fresh)
        {
            Journal(e);
        }

        if (fresh.Count > 0)
        {
            // Its rows record what the position and the fund already hold durably: in a cascade,
            // the liquidations crossing after it go first (docs/architecture.md).
            using var giveWay = StorageAdmission.GiveWay();
            await Commit();
        }

        foreach (var transfer in transfers)
        {
            GrainFactory.GetGrain<IInsuranceFundGrain>(transfer.Fund).Forget(transfer.Id).Ignore();
        }

        if (events.Count > 0)
        {
            Position(events[0].Leg).AcknowledgeEvents(events.Max(e => e.Number)).Ignore();
        }
    }

    /// <summary>
    /// Journals, ahead of a command's booking, the events its outcome carries (funding the position
    /// settled first, steps down: none with a transfer) that are not journaled yet. The outcome is
    /// stored with the position, so a crash replays them with the booking under the same sequence
    /// numbers, and they may be told to watchers before they are written. The number of the last
    /// one journaled; 0 if none.
    /// </summary>
    private int JournalCarried(IReadOnlyList<PositionEvent>? events)
    {
        var fresh = Unjournaled(events ?? []);
        fresh.ForEach(Journal);
        return fresh.Count > 0 ? fresh[^1].Number : 0;
    }

    /// <summary>The events above the number last journaled for their leg, in number order.</summary>
    private List<PositionEvent> Unjournaled(IEnumerable<PositionEvent> events) =>
        [.. events.Where(e => e.Number > Account.JournaledEvents.GetValueOrDefault(e.Leg.ToString())).OrderBy(e => e.Number)];

    /// <summary>An event's row: the position's margin paid it, so the wallet does not move.</summary>
    private void Journal(PositionEvent e)
    {
        Rows.Add(e.Kind, e.Symbol, e.Quantity, e.MarkPrice, 0m, -e.MarginPaid, 0m, "", legSide: e.LegSide);
        Account.JournaledEvents[e.Leg.ToString()] = e.Number;
        if (e.Kind == JournalKind.Liquidation)
        {
            EndStaleOrders([e.Leg]);
        }
    }

    /// <summary>
    /// Applies a transfer to its fund; false if the fund failed or did not answer in time (its write
    /// queued behind a cascade's). Nothing here has changed then, so the activation stays — ending it
    /// would cost a state read queued behind the same writes — and the report is not acknowledged:
    /// its position sends it again, and the fund applies each id once.
    /// </summary>
    private async Task<bool> Applied(FundTransfer transfer)
    {
        try
        {
            await GrainFactory.GetGrain<IInsuranceFundGrain>(transfer.Fund).Apply(transfer.Id, transfer.Amount, transfer.Deficit);
            return true;
        }
        catch (Exception e)
        {
            LogTransferNotApplied(Id, transfer.Id, transfer.Fund, e.GetType().Name, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account}: transfer {Transfer} not applied by fund {Fund} ({Error}: {Message}); its position reports it again")]
    private partial void LogTransferNotApplied(string account, string transfer, string fund, string error, string message);
}
