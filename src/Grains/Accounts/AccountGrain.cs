using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Placement;
using MarginOrleans.Positions;
using MarginOrleans.Storage;
using Microsoft.Extensions.Logging;

namespace MarginOrleans.Accounts;

/// <summary>
/// A trader's account: the only grain that moves money in or out of the system, the cross
/// margin pool, and the coordinator of its isolated positions. Commands carry a request id; a
/// repeat returns the first result (<see cref="RequestIdRule"/>: refusals checked against the
/// account are kept too; a malformed request keeps no id).
/// </summary>
[OnSiloRole(SiloRoles.Trading)]
public sealed partial class AccountGrain(
    [PersistentState("account", MarginCluster.Storage)] IPersistentState<AccountState> state,
    JournalStore journal,
    AccountDirectory directory,
    IFaultInjector faults,
    TimeProvider time,
    ILogger<AccountGrain> log) : Grain, IAccountGrain, IIncomingGrainCallFilter
{
    /// <summary>What the call being served asks for (<see cref="RequestFingerprint"/>; calls never interleave here).</summary>
    private string fingerprint = "";

    private AccountState Account => state.State;
    private string Id => this.GetPrimaryKeyString();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            if (Account.Assumed && context.InterfaceMethod.Name != nameof(Create))
            {
                // A state assumed new serves only the create that assumed it: anything else reads what is stored, then activates on it.
                await state.ReadStateAsync();
                await Activate();
            }

            fingerprint = RequestFingerprint.Of(context.InterfaceMethod, context.Request.GetArgument);
            await context.Invoke();
        }
        catch (Exception e)
        {
            // Memory may hold what storage must not get (a create whose write failed, an activation half done): start again from storage.
            LogDiscarded(Id, context.InterfaceMethod.Name, e.GetType().Name, e.Message);
            Discard();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account} ends its activation: {Method} failed with {Error}: {Message}")]
    private partial void LogDiscarded(string account, string method, string error, string message);

    /// <summary>A state assumed new has nothing to settle or publish (and, were it not new, must not act).</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) => Account.Assumed ? Task.CompletedTask : Activate();

    private async Task Activate()
    {
        await FlushJournal();
        await SendFundTransfers();
        await SettlePending();
        await EndAnsweredOrders();
        await PublishBands(force: true);
        await PublishCrossOrders(markets: null);
        await Conditionals.Publish(Account.Orders, force: true, s => Market(s).GetSnapshot());
    }

    public async Task<AccountCreated> Create(string requestId)
    {
        if (Account.Created)
        {
            return requestId == Account.CreateRequestId
                ? new AccountCreated(Rejected.Ok, Id, "")
                : new AccountCreated(new Rejected(Rejection.AccountExists, $"account {Id} already exists"), Id, "");
        }

        // The directory row first: one of an account not created is audited as empty. The key is the
        // account's own state, so it speaks for an account once that exists.
        var apiKey = ApiKeys.NewKey(Id);
        await directory.Add(Id);
        (Account.Created, Account.CreateRequestId, Account.ApiKeyHash, Account.ApiKeyNamesAccount) = (true, requestId, ApiKeys.Hash(apiKey), true);
        await WriteState();
        return new AccountCreated(Rejected.Ok, Id, apiKey);
    }

    public async Task<AccountCreated> RotateApiKey()
    {
        if (!Account.Created)
        {
            return new AccountCreated(new Rejected(Rejection.AccountUnknown, $"unknown account {Id}"), Id, "");
        }

        // The new key replaces a key that names the account in the same write. A key of its own grain
        // (made before keys named accounts) stops after the new one works: a crash in between leaves
        // two working keys, never none, and it stays listed to revoke, so the next rotation finishes the
        // job. (An account created before keys were recorded has no hash of its old key to revoke.)
        var apiKey = ApiKeys.NewKey(Id);
        if (Account.ApiKeyHash.Length > 0 && !Account.ApiKeyNamesAccount)
        {
            Account.KeysToRevoke.Add(Account.ApiKeyHash);
        }

        (Account.ApiKeyHash, Account.ApiKeyNamesAccount) = (ApiKeys.Hash(apiKey), true);
        await WriteState();
        if (Account.KeysToRevoke.Count > 0)
        {
            foreach (var old in Account.KeysToRevoke.ToList())
            {
                await GrainFactory.GetGrain<IApiKeyGrain>(old).Revoke();
                Account.KeysToRevoke.Remove(old);
            }

            await WriteState();
        }

        return new AccountCreated(Rejected.Ok, Id, apiKey);
    }

    /// <summary>A key naming an account that does not exist leaves no activation behind: random keys cost reads, not memory.</summary>
    public Task<Principal?> Authenticate(string keyHash)
    {
        if (!Account.Created)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(Account.Created && Account.ApiKeyNamesAccount && ApiKeys.Matches(Account.ApiKeyHash, keyHash)
            ? new Principal(Role.Trader, Id)
            : null);
    }

    public Task<CommandResult> Deposit(string requestId, decimal amount) => Run(requestId, () =>
    {
        if (OrderChecks.Amount(amount) is { IsOk: false } bad)
        {
            return Task.FromResult(Refused(bad));
        }

        Account.WalletBalance += amount;
        Account.Deposits += amount;
        Rows.Add(JournalKind.Deposit, "", 0m, 0m, amount, 0m, 0m, requestId);
        return Task.FromResult(Accepted());
    });

    public Task<CommandResult> Withdraw(string requestId, decimal amount) => Run(requestId, async () =>
    {
        var check = OrderChecks.Amount(amount);
        var max = (await Cross()).MaxWithdrawal;
        if (check.IsOk && amount > max)
        {
            check = new Rejected(Rejection.InsufficientBalance, $"amount {amount} exceeds the max withdrawal {max}");
        }

        if (!check.IsOk)
        {
            return Refused(check);
        }

        Account.WalletBalance -= amount;
        Account.Withdrawals += amount;
        Rows.Add(JournalKind.Withdrawal, "", 0m, 0m, -amount, 0m, 0m, requestId);
        return Accepted();
    });

    public async Task<AccountView?> GetAccount()
    {
        if (!Account.Created)
        {
            return null;
        }

        var cross = await Cross();
        var isolated = await Task.WhenAll(Account.IsolatedLegs.Where(l => !Account.CrossPositions.ContainsKey(l)).Select(l => GetIsolated(LegKey.Parse(l))));
        return AccountFigures.View(Id, Account, cross, isolated.OfType<PositionView>());
    }

    public async Task<PositionView?> GetPosition(LegKey leg) =>
        Account.CrossAt(leg) is not null ? (await Cross()).View(leg) : await GetIsolated(leg);

    public async Task<int> GetDeleverageQuantile(LegKey leg)
    {
        if (await Market(leg.Symbol).GetSnapshot() is not { } market)
        {
            return 0;
        }

        // The ranking lives beside the position's liquidation trigger (a cross account's band), not here.
        var owner = (Account.CrossAt(leg) is not null ? TriggerKey.Band(Id, leg.Side) : TriggerKey.Liquidation(Id, leg.Side)).ToString();
        return await GrainFactory.For(market.Spec, owner).DeleverageQuantile(owner);
    }

    public async Task<IReadOnlyList<JournalEntry>> GetJournal(long fromSequence, int limit)
    {
        await WriteBooked();
        return await journal.Read(Id, Math.Max(1, fromSequence), Math.Clamp(limit, 1, 500));
    }

    public async Task<IReadOnlyList<JournalEntry>> ListFundingPayments(DateTimeOffset since, long fromSequence, int limit)
    {
        await WriteBooked();
        return await journal.Read(Id, Math.Max(1, fromSequence), Math.Clamp(limit, 1, 500), (JournalKind.Funding, since));
    }

    /// <summary>Runs a wallet command once per request id.</summary>
    private Task<CommandResult> Run(string requestId, Func<Task<CommandResult>> command) => Once(requestId, async () =>
    {
        if (await Earlier(requestId) is { } first)
        {
            return first;
        }

        if (!Account.Created)
        {
            return Refused(new Rejected(Rejection.AccountUnknown, $"unknown account {Id}"));
        }

        await SettlePending();
        return await Answer(requestId, await command());
    });

    /// <summary>The answer a request id keeps (<see cref="RequestIdRule"/>) is written with the state; any other only returned.</summary>
    private async Task<CommandResult> Answer(string requestId, CommandResult result)
    {
        if (Requests.Keep(requestId, result, fingerprint))
        {
            await Commit();
        }

        return result;
    }

    /// <summary>
    /// Writes the state, publishing the cross bands it implies in the order that keeps them early,
    /// never late, then writes the journal rows the state committed. With <paramref name="write"/>
    /// false it books all the same but leaves the write to the account's next one (<see cref="BookedUnwritten"/>).
    /// </summary>
    private async Task Commit(IReadOnlyDictionary<string, MarketSnapshot>? markets = null, bool write = true)
    {
        try
        {
            var plan = await PlanBands(markets);
            foreach (var (leg, next) in bands.BeforeWrite(plan))
            {
                await PublishBand(leg, next);
            }

            EndStaleOrders();

            // A wallet move without its journal row would be money a trader cannot account for.
            Invariant.Assert(Account.WalletBalance == (Account.JournaledWallet ??= Account.WalletBalance), "every wallet move is journaled");
            if (write)
            {
                ClaimKept();
                await WriteState();
            }

            foreach (var (leg, next) in bands.Changed(plan))
            {
                await PublishBand(leg, next);
            }

            bands.AllPublished();
            await PublishCrossOrders(markets);
            await Conditionals.Publish(Account.Orders, force: false, s => MarketOf(s, markets));
            if (!write)
            {
                await BookedUnwritten();
            }
        }
        catch
        {
            // Memory may hold a change storage does not: reactivation reloads the truth and re-publishes the bands.
            Discard();
            throw;
        }
    }

    private AccountJournal Rows => new(Account, time);

    private Task<MarketSnapshot?> MarketOf(string symbol, IReadOnlyDictionary<string, MarketSnapshot>? known) =>
        known?.GetValueOrDefault(symbol) is { } snapshot ? Task.FromResult<MarketSnapshot?>(snapshot) : Market(symbol).GetSnapshot();

    private async Task<IReadOnlyDictionary<string, MarketSnapshot>> Markets(IEnumerable<string> symbols)
    {
        var snapshots = await Task.WhenAll(symbols.Distinct().Select(s => Market(s).GetSnapshot()));
        return snapshots.OfType<MarketSnapshot>().ToDictionary(s => s.Spec.Symbol);
    }

    /// <summary>
    /// The cross book at the current marks, funding owed settled and written first: every figure
    /// drawn from the wallet (max withdrawal, what an isolated position may take) counts it.
    /// </summary>
    private async Task<CrossBook> Cross()
    {
        var markets = await Markets(Account.CrossSymbols);
        if (SettleCrossFunding(markets))
        {
            await Commit(markets);
        }

        return new CrossBook(Account, markets);
    }

    private async Task<PositionView?> GetIsolated(LegKey leg) =>
        await Market(leg.Symbol).GetSnapshot() is { HasMark: true } market ? await Position(leg).Get(market) : null;

    private CommandResult Accepted() => new(Rejected.Ok, Account.WalletBalance, 0m, 0m, 0m, null);

    private CommandResult Refused(Rejected why) => CommandResult.Refused(why, Account.WalletBalance);

    private static Rejected UnknownSymbol(string symbol) => new(Rejection.SymbolUnknown, $"unknown symbol {symbol}");

    private static Rejected NoMark(string symbol) => new(Rejection.MarkPriceMissing, $"{symbol} has no mark price yet");

    private IMarketGrain Market(string symbol) => GrainFactory.GetGrain<IMarketGrain>(symbol);

    private IIsolatedPositionGrain Position(LegKey leg) => GrainFactory.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(Id, leg));
}
