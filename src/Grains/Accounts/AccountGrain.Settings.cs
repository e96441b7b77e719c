using MarginOrleans.Markets;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>The trader's settings: per-symbol leverage and margin mode, and the risk policy's leverage cap.</summary>
public sealed partial class AccountGrain
{
    /// <summary>
    /// Sets the symbol's leverage. On an open isolated position lowering it moves margin from the
    /// wallet; on an open cross position it changes the IM that counts against available.
    /// </summary>
    public async Task<CommandResult> SetLeverage(string requestId, string symbol, int leverage)
    {
        Rejected Check(MarketSpec spec) => OrderChecks.FirstFailure(OrderChecks.Leverage(leverage, spec), RiskPolicy.Allows(Account.LeverageCap, leverage));
        if (Account.ModeOf(symbol) == MarginMode.Cross)
        {
            return await RunCross(requestId, symbol, leverage, Check, book => book.SetLeverage(symbol, leverage));
        }

        var open = await OpenIsolatedLegs(symbol);
        if (open is [{ Side: LegSide.Both } one])
        {
            return await RunPosition(requestId, one, leverage, Check,
                _ => new SetLeverageCommand(leverage));
        }

        if (open.Count > 0)
        {
            return await SetLegsLeverage(requestId, open, leverage, Check);
        }

        return await RunWithMarket(requestId, symbol, Check, _ =>
        {
            Account.Leverage[symbol] = leverage;
            Rows.Add(JournalKind.LeverageSet, symbol, 0m, 0m, 0m, 0m, 0m, requestId, leverage: leverage);
            return Answer(requestId, Accepted());
        });
    }

    /// <summary>
    /// The open hedge legs of an isolated symbol: one command per leg, each exactly-once under an id
    /// derived from the request's (in the engine's reserved space), the request's own answer kept
    /// once all are done — a retry after a crash between legs finishes the job without repeating one.
    /// </summary>
    private async Task<CommandResult> SetLegsLeverage(string requestId, List<LegKey> legs, int leverage, Func<MarketSpec, Rejected> check)
    {
        // Looked up, not claimed: its first batch is a leg's, under the leg's own id (hedge-mode leverage is rare).
        if (await Earlier(requestId, claim: false) is { } first)
        {
            return first;
        }

        CommandResult result = Refused(new Rejected(Rejection.NoOpenPosition, "no open leg"));
        foreach (var leg in legs)
        {
            result = await RunPosition($"{EngineRequestIds.Prefix}leverage:{requestId}/{PositionModes.Name(leg.Side)}", leg, leverage, check, _ => new SetLeverageCommand(leverage));
            if (!result.Result.IsOk)
            {
                return result;
            }
        }

        return await Answer(requestId, result);
    }

    private async Task<List<LegKey>> OpenIsolatedLegs(string symbol)
    {
        var legs = Account.IsolatedLegs.Select(LegKey.Parse).Where(l => l.Symbol == symbol).ToList();
        var views = await Task.WhenAll(legs.Select(GetIsolated));
        return [.. legs.Where((_, i) => views[i] is not null)];
    }

    /// <summary>Refused while the symbol has an open position (Binance -4048); setting the current mode is a no-op.</summary>
    public Task<CommandResult> SetMarginMode(string requestId, string symbol, MarginMode mode) =>
        RunWithMarket(requestId, symbol, _ => Rejected.Ok, async market =>
        {
            if (Account.ModeOf(symbol) == mode)
            {
                return await Answer(requestId, Accepted());
            }

            if (Account.CrossSymbols.Contains(symbol) || (await OpenIsolatedLegs(symbol)).Count > 0) // this symbol's legs only: no read of the others
            {
                return await Answer(requestId, Refused(new Rejected(Rejection.MarginModeChangeWithOpenPosition,
                    $"{symbol} has an open {Account.ModeOf(symbol).ToString().ToLowerInvariant()} position: close it before changing the margin mode")));
            }

            Account.MarginModes[symbol] = mode;
            Rows.Add(JournalKind.MarginModeSet, symbol, 0m, 0m, 0m, 0m, 0m, requestId, mode: mode);
            return await Answer(requestId, Accepted());
        });

    /// <summary>One-way or hedge (<see cref="PositionModes"/>): the mode it already has is answered OK and journaled once.</summary>
    public Task<CommandResult> SetPositionMode(string requestId, PositionMode mode) => Run(requestId, async () =>
    {
        if (mode == Account.PositionMode)
        {
            return Accepted();
        }

        if (PositionModes.CheckChange(mode, await OpenLegs(), [.. WaitingOrders().Select(o => o.OrderId)]) is { IsOk: false } open)
        {
            return Refused(open);
        }

        Account.PositionMode = mode;
        Rows.Add(JournalKind.PositionModeSet, "", 0m, 0m, 0m, 0m, 0m, requestId, positionMode: mode);
        return Accepted();
    });

    /// <summary>The positions open now, cross and isolated, by their leg texts.</summary>
    private async Task<List<string>> OpenLegs()
    {
        var isolated = await Task.WhenAll(Account.IsolatedLegs.Select(async l => (Leg: l, Ledger: await Position(LegKey.Parse(l)).GetLedger())));
        return [.. Account.CrossPositions.Keys, .. isolated.Where(i => i.Ledger.IsolatedMargin > 0m).Select(i => i.Leg)];
    }

    /// <summary>The trader's leverage cap (<see cref="RiskPolicy"/>).</summary>
    public Task<CommandResult> SetRiskPolicy(string requestId, int leverageMax) => Run(requestId, async () =>
    {
        var anyOpen = RiskPolicy.IsRaise(Account.LeverageCap, leverageMax) && await AnyPositionOpen();
        if (RiskPolicy.CheckChange(Account.LeverageCap, leverageMax, anyOpen) is { IsOk: false } bad)
        {
            return Refused(bad);
        }

        var highest = await HighestMarketLeverage(); // read before anything changes: a failure here changes nothing
        Account.LeverageCap = leverageMax;
        Rows.Add(JournalKind.RiskPolicySet, "", 0m, 0m, 0m, 0m, 0m, requestId, leverageCap: leverageMax);
        return Accepted() with { Note = RiskPolicy.Note(leverageMax, highest) };
    });

    private async Task<bool> AnyPositionOpen() => (await OpenLegs()).Count > 0;

    /// <summary>The highest leverage any listed market allows (its first bracket's); a cap above it changes nothing.</summary>
    private async Task<int> HighestMarketLeverage()
    {
        var symbols = await GrainFactory.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List();
        var specs = await Task.WhenAll(symbols.Select(s => Market(s).GetSnapshot()));
        return specs.Max(m => m?.Spec.LeverageMax) ?? 0;
    }
}
