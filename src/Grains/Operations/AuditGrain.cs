using MarginOrleans.Accounts;
using MarginOrleans.Storage;
using Orleans.Concurrency;

namespace MarginOrleans.Operations;

/// <summary>Visits every account in the directory and every market's insurance fund; O(accounts), an operator's tool.</summary>
[StatelessWorker(1)]
public sealed class AuditGrain(AccountDirectory directory) : Grain, IAuditGrain
{
    public async Task<AuditReport> Run()
    {
        var report = new AuditReport(0, 0, 0, 0, 0, 0, 0, 0);
        await foreach (var accountId in directory.List())
        {
            var ledger = await GrainFactory.GetGrain<IAccountGrain>(accountId).GetLedger();
            report = report with
            {
                Deposits = report.Deposits + ledger.Deposits,
                Withdrawals = report.Withdrawals + ledger.Withdrawals,
                Wallets = report.Wallets + ledger.WalletBalance,
                IsolatedMargins = report.IsolatedMargins + ledger.IsolatedMargin,
                House = report.House + ledger.HouseLeg,
                InFlight = report.InFlight + ledger.InFlight,
                Accounts = report.Accounts + 1,
            };
        }

        var funds = await InsuranceFunds.All(GrainFactory);
        return report with
        {
            InsuranceFund = funds.Sum(f => f.View.Balance), FundTopUps = funds.Sum(f => f.View.ToppedUp), FundsOwed = funds.Sum(f => f.View.Owed),
        };
    }
}
