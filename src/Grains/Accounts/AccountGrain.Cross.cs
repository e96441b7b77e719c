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
    /// <summary>The band this activation has published per symbol; unknown until the first publish.</summary>
    private readonly Dictionary<string, TriggerEntry?> bands = new(StringComparer.Ordinal);
    private bool bandsKnown;

    public async Task OnCrossTrigger(string symbol)
    {
        if (!Account.CrossSymbols.Contains(symbol))
        {
            await PublishBand(symbol, null); // a stale band (or order) of a position since closed
        }

        // Liquidation first: only a solvent account's take-profit or stop-loss closes anything.
        if (!await CheckCross())
        {
            await CheckCrossOrders(symbol);
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

            Journal(outcome.JournaledAs(), leg.Symbol, outcome.Quantity != 0m ? outcome.Quantity
                    : quantity != 0m && outcome.Event != JournalKind.LeverageSet ? quantity : outcome.Position?.Quantity ?? 0m, outcome.FillPrice,
                outcome.WalletDelta, outcome.RealizedPnl, outcome.Fee, requestId, leverage: outcome.Event == JournalKind.LeverageSet ? Account.Leverage[leg.Symbol] : null);
            RememberLeverage(leg.Symbol, outcome);
            var result = new CommandResult(Rejected.Ok, Account.WalletBalance, outcome.RealizedPnl, outcome.Fee, outcome.FillPrice, outcome.Position);
            Account.Remember(requestId, result, fingerprint);
            await Commit(markets);
            return result;
        });

    /// <summary>An account at maintenance steps its largest-bracket positions down first; each step journaled. True when any did.</summary>
    private bool StepDownCross(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var steps = new CrossBook(Account, markets).StepDown();
        JournalWalletMoves(JournalKind.PartialLiquidation, [.. steps.Select(s => (s.Key.Symbol, s.Quantity, s.Realized))], markets);
        EngineMetrics.Liquidations.Add(steps.Count, new KeyValuePair<string, object?>("mode", "cross-partial"));
        return steps.Count > 0;
    }

    /// <summary>Settles the funding of every cross position into the wallet and journals each payment; true when any money moved.</summary>
    private bool SettleCrossFunding(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var settled = new CrossBook(Account, markets).SettleFunding();
        JournalWalletMoves(JournalKind.Funding, [.. settled.Select(s => (s.Key.Symbol, s.Position.Quantity, -s.Paid))], markets);
        return settled.Count > 0;
    }

    /// <summary>Journals wallet moves the book already booked, one row each, every row showing the wallet as its own move left it.</summary>
    private void JournalWalletMoves(JournalKind kind, IReadOnlyList<(string Symbol, decimal Quantity, decimal Delta)> moves, IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var after = Account.WalletBalance;
        Account.WalletBalance -= moves.Sum(m => m.Delta);
        foreach (var (symbol, quantity, delta) in moves)
        {
            Account.WalletBalance += delta;
            Journal(kind, symbol, quantity, markets[symbol].MarkPrice, delta, delta, 0m, "");
        }

        Invariant.Assert(Account.WalletBalance == after, "the journal's running wallet ends where the moves left it");
    }

    /// <summary>
    /// Closes every cross position at the marks; the margin balance left (or its deficit) goes
    /// to the insurance fund. Isolated positions and their margin are untouched.
    /// </summary>
    private async Task LiquidateCross(IReadOnlyDictionary<string, MarketSnapshot> markets)
    {
        var walletBefore = Account.WalletBalance;
        var (transfers, closed) = new CrossBook(Account, markets).Liquidate($"{Id}#cross{++Account.CrossLiquidations}");

        // Journal rows show the wallet as each close realizes its PnL, then each symbol's share leaving for its fund.
        Account.WalletBalance = walletBefore;
        foreach (var (key, position, realized) in closed)
        {
            Account.WalletBalance += realized;
            Journal(JournalKind.Liquidation, key.Symbol, position.Quantity, markets[key.Symbol].MarkPrice, realized, realized, 0m, "");
        }

        Invariant.Assert(Account.WalletBalance == transfers.Sum(t => t.Amount), "the funds receive the margin balance left after the closes");
        foreach (var transfer in transfers)
        {
            Account.WalletBalance -= transfer.Amount;
            Journal(JournalKind.Liquidation, "", 0m, 0m, -transfer.Amount, 0m, 0m, "", fund: transfer.Fund);
        }

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
                return state.WriteStateAsync();
            });
        }
    }

    /// <summary>Publishes every band now, without a state write: at activation, and to re-arm after a check.</summary>
    private async Task PublishBands(bool force, IReadOnlyDictionary<string, MarketSnapshot>? markets = null)
    {
        if (Account.CrossPositions.Count == 0 && bands.Count == 0)
        {
            bandsKnown = true;
            return;
        }

        foreach (var (symbol, next) in await PlanBands(markets))
        {
            if (force || !bandsKnown || bands.GetValueOrDefault(symbol) != next)
            {
                await PublishBand(symbol, next);
            }
        }

        bandsKnown = true;
    }

    /// <summary>
    /// The band each cross symbol needs now (and null for symbols that had one and no longer
    /// hold a cross position). An account already at maintenance gets bands at the marks and a
    /// wake-up of its own, so the next check liquidates it.
    /// </summary>
    private async Task<Dictionary<string, TriggerEntry?>> PlanBands(IReadOnlyDictionary<string, MarketSnapshot>? markets)
    {
        var plan = bands.Keys.ToDictionary(s => s, _ => (TriggerEntry?)null, StringComparer.Ordinal);
        if (Account.CrossPositions.Count == 0)
        {
            return plan;
        }

        markets ??= await Markets(Account.CrossSymbols);
        var legs = new CrossBook(Account, markets).Legs;
        var marked = legs.Select(l => l.Leg).ToList();
        var prices = CrossMath.Bands(Account.WalletBalance, marked);
        for (var i = 0; i < legs.Count; i++)
        {
            var (key, leg) = legs[i];
            var price = prices is null ? leg.Mark : prices[i];
            var position = Account.CrossAt(key)!;
            var frame = (position.Funding ?? FundingPoint.Zero).FrameOf(position.Side);
            var standing = new PositionStanding(position.Quantity, position.EntryPrice, CrossMath.EstimatedBankruptcyPrice(Account.WalletBalance, marked, i));
            plan[key.Symbol] = price is { } p ? TriggerPlan.Entry(TriggerKey.Band(Id), position.Side, p, frame, standing) : null;
        }

        if (prices is null)
        {
            this.AsReference<IAccountGrain>().OnCrossTrigger(legs[0].Key.Symbol).Ignore();
        }

        return plan;
    }

    /// <summary>Registers (or removes) the band with its shard, which stores it durably before answering.</summary>
    private async Task PublishBand(string symbol, TriggerEntry? next)
    {
        var owner = TriggerKey.Band(Id).ToString();
        if (await Market(symbol).GetSnapshot() is { } market)
        {
            var shard = GrainFactory.For(market.Spec, owner);
            await (next is null ? shard.Remove(owner) : shard.Register(next, market.MarkPrice));
        }

        if (next is null)
        {
            bands.Remove(symbol);
        }
        else
        {
            bands[symbol] = next;
        }
    }
}
