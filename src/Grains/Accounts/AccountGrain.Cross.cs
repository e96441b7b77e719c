using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using MarginOrleans.Risk;
using MarginOrleans.Telemetry;

namespace MarginOrleans.Accounts;

/// <summary>
/// Cross margin: commands on cross positions, the trigger bands that stand in for per-tick
/// re-marking (docs/margin-math.md, Cross bands), and cross liquidation.
/// </summary>
public sealed partial class AccountGrain
{
    private readonly CrossBands bands = new();

    public async Task OnCrossTrigger(string symbol, LegSide leg, TriggerKind kind)
    {
        var woken = new LegKey(symbol, leg);
        if (kind == TriggerKind.Liquidation && Account.CrossAt(woken) is null)
        {
            // The band of a position since closed: a row whose removal a crash lost, or one not yet answered.
            await PublishBand(woken.ToString(), null);
        }

        // Liquidation first: only a solvent account's take-profit or stop-loss closes anything.
        if (!await CheckCross())
        {
            await CheckCrossOrders(woken, kind);
        }
    }

    public async Task<bool> CheckCross()
    {
        if (Account.CrossPositions.Count == 0)
        {
            return false;
        }

        var markets = await Markets(Account.CrossSymbols);
        var funded = SettleCrossFunding(markets) | StepDownCross(markets);
        if (new CrossBook(Account, markets).IsLiquidatable)
        {
            await LiquidateCross(markets);
            return true;
        }

        // Still solvent: fresh bands from the current marks, published even if unchanged so the
        // market re-arms them (with the funding just settled written first).
        if (funded)
        {
            await Commit(markets);
        }

        await PublishBands(force: true, markets);
        return false;
    }

    private Task<CommandResult> RunCross(string requestId, LegKey leg, decimal quantity, Func<MarketSpec, Rejected> check, Func<CrossBook, PositionOutcome> change) =>
        RunWithMarket(requestId, leg.Symbol, check, async market =>
        {
            // The command's own market is already fetched: read only the other cross markets.
            var markets = new Dictionary<string, MarketSnapshot>(await Markets(Account.CrossSymbols.Where(s => s != leg.Symbol))) { [leg.Symbol] = market };
            if (SettleCrossFunding(markets) | StepDownCross(markets))
            {
                await Commit(markets); // settled even if the command is then refused
            }

            var book = new CrossBook(Account, markets);
            if (book.IsLiquidatable)
            {
                await LiquidateCross(markets);
                return await Answer(requestId, Refused(new Rejected(Rejection.PositionLiquidated, "the cross positions were liquidated at the current marks")));
            }

            var outcome = change(book);
            if (!outcome.Result.IsOk)
            {
                return await Answer(requestId, Refused(outcome.Result));
            }

            Rows.Add(outcome.JournaledAs(), leg.Symbol, outcome.Quantity != 0m ? outcome.Quantity
                    : quantity != 0m && outcome.Event != JournalKind.LeverageSet ? quantity : outcome.Position?.Quantity ?? 0m, outcome.FillPrice,
                outcome.WalletDelta, outcome.RealizedPnl, outcome.Fee, requestId, leverage: outcome.Event == JournalKind.LeverageSet ? Account.Leverage[leg.Symbol] : null,
                legSide: leg.Side);
            RememberLeverage(leg.Symbol, outcome);
            var result = new CommandResult(Rejected.Ok, Account.WalletBalance, outcome.RealizedPnl, outcome.Fee, outcome.FillPrice, outcome.Position, outcome.Note);
            Account.Remember(requestId, result, fingerprint);
            await Commit(markets);
            return result;
        });

    /// <summary>An account at maintenance steps its largest-bracket positions down first; each step journaled. True when any did.</summary>
    private bool StepDownCross(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var steps = new CrossBook(Account, markets).StepDown();
        Rows.WalletMoves(JournalKind.PartialLiquidation, steps, markets);
        EngineMetrics.Liquidations.Add(steps.Count, new KeyValuePair<string, object?>("mode", "cross-partial"));
        return steps.Count > 0;
    }

    /// <summary>Settles the funding of every cross position into the wallet and journals each payment; true when any money moved.</summary>
    private bool SettleCrossFunding(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var moves = new CrossFunding(Account, markets).Settle();
        Rows.WalletMoves(JournalKind.Funding, moves, markets);
        return moves.Count > 0;
    }

    /// <summary>
    /// Closes every cross position at the marks; the margin balance left (or its deficit) goes
    /// to the insurance fund. Isolated positions and their margin are untouched.
    /// </summary>
    private async Task LiquidateCross(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var walletBefore = Account.WalletBalance;
        var (transfers, closed) = new CrossBook(Account, markets).Liquidate($"{Id}#cross{++Account.CrossLiquidations}");
        Rows.CrossLiquidation(walletBefore, [.. closed.Select(c => (c.Key, c.Position.Quantity, c.Realized))], transfers, markets);

        Account.PendingFundTransfers.AddRange(transfers);
        EngineMetrics.Liquidations.Add(1, new KeyValuePair<string, object?>("mode", "cross"));
        await Commit(markets);
        await SendFundTransfers();
    }

    /// <summary>Delivers the recorded transfers one by one, each recorded done as it lands (one recorded before funds were per market included).</summary>
    private async Task SendFundTransfers()
    {
        if (Account.PendingFundTransfer is { } shared)
        {
            (Account.PendingFundTransfer, Account.PendingFundTransfers) = (null, [shared, .. Account.PendingFundTransfers]);
        }

        foreach (var transfer in Account.PendingFundTransfers.ToList())
        {
            await FundTransfers.Deliver(GrainFactory, faults, transfer, () =>
            {
                Account.PendingFundTransfers.Remove(transfer);
                return WriteState();
            });
        }
    }

    /// <summary>Publishes every band now, without a state write: at activation, and to re-arm after a check.</summary>
    private async Task PublishBands(bool force, IReadOnlyDictionary<string, MarketSnapshot>? markets = null)
    {
        if (Account.CrossPositions.Count > 0 || bands.Any)
        {
            foreach (var (leg, next) in bands.Changed(await PlanBands(markets), force))
            {
                await PublishBand(leg, next);
            }
        }

        bands.AllPublished();
    }

    /// <summary>The band each cross position needs now (<see cref="CrossBands.Plan"/>); an account at maintenance is checked at once.</summary>
    private async Task<Dictionary<string, TriggerEntry?>> PlanBands(IReadOnlyDictionary<string, MarketSnapshot>? markets)
    {
        if (Account.CrossPositions.Count > 0)
        {
            markets ??= await Markets(Account.CrossSymbols);
        }

        var plan = bands.Plan(Account, Id, markets ?? new Dictionary<string, MarketSnapshot>(), out var wake);
        if (wake is { } leg)
        {
            this.AsReference<IAccountGrain>().OnCrossTrigger(leg.Symbol, leg.Side, TriggerKind.Liquidation).Ignore();
        }

        return plan;
    }

    /// <summary>Registers (or removes) a position's band (by its leg text) with its shard, which stores it durably before answering.</summary>
    private async Task PublishBand(string leg, TriggerEntry? next)
    {
        var key = LegKey.Parse(leg);
        var owner = TriggerKey.Band(Id, key.Side).ToString();
        if (await Market(key.Symbol).GetSnapshot() is { } market)
        {
            var shard = GrainFactory.For(market.Spec, owner);
            await (next is null ? shard.Remove(owner) : shard.Register(next, market.MarkPrice));
        }

        bands.Published(leg, next);
    }
}
