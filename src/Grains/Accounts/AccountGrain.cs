using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Storage;

namespace MarginOrleans.Accounts;

/// <summary>
/// A trader's account: the only grain that moves money in or out of the system. Commands carry
/// a request id; a repeat within the last <see cref="AccountState.RequestWindow"/> returns the
/// first result. Rejections found before anything is written are not remembered: re-running
/// them changes nothing either.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("account", "margin")] IPersistentState<AccountState> state,
    JournalStore journal,
    AccountDirectory directory,
    IFaultInjector faults,
    TimeProvider time) : Grain, IAccountGrain
{
    private AccountState A => state.State;
    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await FlushJournal();
        await SettlePending();
    }

    public async Task<AccountCreated> Create(string requestId)
    {
        if (A.Created)
        {
            return requestId == A.CreateRequestId
                ? new AccountCreated(Rejected.Ok, Id, "")
                : new AccountCreated(new Rejected(Rejection.AccountExists, $"account {Id} already exists"), Id, "");
        }

        var apiKey = ApiKeys.NewKey();
        await GrainFactory.GetGrain<IApiKeyGrain>(ApiKeys.Hash(apiKey)).Assign(new Principal(Role.Trader, Id));
        await directory.Add(Id);
        (A.Created, A.CreateRequestId) = (true, requestId);
        await state.WriteStateAsync();
        return new AccountCreated(Rejected.Ok, Id, apiKey);
    }

    public Task<CommandResult> Deposit(string requestId, decimal amount) => Run(requestId, () =>
    {
        if (OrderChecks.Amount(amount) is { IsOk: false } bad)
        {
            return Task.FromResult(Refused(bad));
        }

        A.WalletBalance += amount;
        A.Deposits += amount;
        Journal(JournalKind.Deposit, "", 0m, 0m, amount, 0m, 0m, requestId);
        return Task.FromResult(Accepted());
    });

    public Task<CommandResult> Withdraw(string requestId, decimal amount) => Run(requestId, () =>
    {
        var check = OrderChecks.Amount(amount);
        if (check.IsOk && amount > A.WalletBalance)
        {
            check = new Rejected(Rejection.InsufficientBalance, $"amount {amount} exceeds the available balance {A.WalletBalance}");
        }

        if (!check.IsOk)
        {
            return Task.FromResult(Refused(check));
        }

        A.WalletBalance -= amount;
        A.Withdrawals += amount;
        Journal(JournalKind.Withdrawal, "", 0m, 0m, -amount, 0m, 0m, requestId);
        return Task.FromResult(Accepted());
    });

    public Task<CommandResult> SetLeverage(string requestId, string symbol, int leverage) => Run(requestId, async () =>
    {
        if (await Market(symbol).GetSnapshot() is not { } market)
        {
            return Refused(UnknownSymbol(symbol));
        }

        var check = OrderChecks.Leverage(leverage, market.Spec);
        if (check.IsOk && await Position(symbol).Get(market) is { } open && open.Leverage != leverage)
        {
            check = new Rejected(Rejection.LeverageChangeWithOpenPosition, $"{symbol} has an open position at {open.Leverage}x");
        }

        if (!check.IsOk)
        {
            return Refused(check);
        }

        A.Leverage[symbol] = leverage;
        Journal(JournalKind.LeverageSet, symbol, leverage, 0m, 0m, 0m, 0m, requestId);
        return Accepted();
    });

    public async Task<AccountView?> GetAccount()
    {
        if (!A.Created)
        {
            return null;
        }

        var positions = (await Task.WhenAll(A.Symbols.Select(GetPosition))).OfType<PositionView>().ToList();
        var margin = positions.Sum(p => p.IsolatedMargin);
        var pnl = positions.Sum(p => p.UnrealizedPnl);
        return new AccountView(Id, A.WalletBalance, A.WalletBalance, margin, pnl, A.WalletBalance + margin + pnl,
            new Dictionary<string, int>(A.Leverage), positions);
    }

    public async Task<PositionView?> GetPosition(string symbol) =>
        await Market(symbol).GetSnapshot() is { HasMark: true } market ? await Position(symbol).Get(market) : null;

    public Task<IReadOnlyList<JournalEntry>> GetJournal(long fromSequence, int limit) =>
        journal.Read(Id, Math.Max(1, fromSequence), Math.Clamp(limit, 1, 500));

    public async Task<AccountLedger> GetLedger()
    {
        await SettlePending();
        var positions = await Task.WhenAll(A.Symbols.Select(s => Position(s).GetLedger()));
        return new AccountLedger(A.Deposits, A.Withdrawals, A.WalletBalance,
            positions.Sum(p => p.IsolatedMargin), A.HouseLeg + positions.Sum(p => p.HouseLeg), positions.Sum(p => p.InFlight));
    }

    public async Task OnPositionLiquidated(LiquidationReport report)
    {
        Journal(JournalKind.Liquidation, report.Symbol, report.Quantity, report.MarkPrice, 0m, -report.MarginLost, 0m, "");
        await state.WriteStateAsync();
        await FlushJournal();
    }

    /// <summary>Runs a wallet command once per request id; only accepted results are written and remembered.</summary>
    private async Task<CommandResult> Run(string requestId, Func<Task<CommandResult>> command)
    {
        if (A.Results.TryGetValue(requestId, out var first))
        {
            return first;
        }

        if (!A.Created)
        {
            return Refused(new Rejected(Rejection.AccountUnknown, $"unknown account {Id}"));
        }

        await SettlePending();
        var result = await command();
        if (result.Result.IsOk)
        {
            A.Remember(requestId, result);
            await state.WriteStateAsync();
            await FlushJournal();
        }

        return result;
    }

    private void Journal(JournalKind kind, string symbol, decimal quantity, decimal price, decimal walletDelta, decimal realized, decimal fee, string requestId) =>
        A.UnwrittenJournal.Add(new JournalEntry(++A.JournalSequence, time.GetUtcNow(), kind, symbol, quantity, price,
            walletDelta, realized, fee, A.WalletBalance, requestId));

    /// <summary>Writes the rows committed with the last state write; upserts by sequence, so repeating is harmless.</summary>
    private async Task FlushJournal()
    {
        await journal.Write(Id, A.UnwrittenJournal);
        A.UnwrittenJournal.Clear();
    }

    private CommandResult Accepted() => new(Rejected.Ok, A.WalletBalance, 0m, 0m, 0m, null);

    private CommandResult Refused(Rejected why) => CommandResult.Refused(why, A.WalletBalance);

    private static Rejected UnknownSymbol(string symbol) => new(Rejection.SymbolUnknown, $"unknown symbol {symbol}");

    private IMarketGrain Market(string symbol) => GrainFactory.GetGrain<IMarketGrain>(symbol);

    private IIsolatedPositionGrain Position(string symbol) => GrainFactory.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(Id, symbol));
}
