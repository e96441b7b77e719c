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

        if (Account.IsolatedLegs.Contains(symbol) && await GetIsolated(symbol) is not null)
        {
            return await RunPosition(requestId, symbol, leverage, Check,
                _ => new SetLeverageCommand(leverage));
        }

        return await RunWithMarket(requestId, symbol, Check, _ =>
        {
            Account.Leverage[symbol] = leverage;
            Rows.Add(JournalKind.LeverageSet, symbol, 0m, 0m, 0m, 0m, 0m, requestId, leverage: leverage);
            return Answer(requestId, Accepted());
        });
    }

    /// <summary>Refused while the symbol has an open position (Binance -4048); setting the current mode is a no-op.</summary>
    public Task<CommandResult> SetMarginMode(string requestId, string symbol, MarginMode mode) =>
        RunWithMarket(requestId, symbol, _ => Rejected.Ok, async market =>
        {
            if (Account.ModeOf(symbol) == mode)
            {
                return await Answer(requestId, Accepted());
            }

            if ((await OpenLegs()).Any(l => LegKey.Parse(l).Symbol == symbol))
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

        if (PositionModes.CheckChange(mode, await OpenLegs()) is { IsOk: false } open)
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
