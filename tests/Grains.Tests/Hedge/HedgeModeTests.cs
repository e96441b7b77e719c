using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Hedge;

/// <summary>Hedge mode: a LONG and a SHORT leg per symbol, never netted (example brackets, tick 0.1, lot 0.001, fee 0.05%).</summary>
[Collection(ClusterCollection.Name)]
public sealed class HedgeModeTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    private static OpenOrder Order(string symbol, PositionSide side, decimal quantity, LegSide leg, int? leverage = 10, bool reduceOnly = false) =>
        new(symbol, side, quantity, leverage, null, LegSide: leg, ReduceOnly: reduceOnly);

    private static async Task<CommandResult> Hedge(IAccountGrain account)
    {
        var set = await account.SetPositionMode(RequestId(), PositionMode.Hedge);
        Assert.True(set.Result.IsOk, set.Result.Detail);
        return set;
    }

    [Fact]
    public async Task TheMode_ChangesOnlyWithNothingOpen_AndSettingItAgainChangesNothing()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var modeId = RequestId();
        Assert.True((await account.SetPositionMode(modeId, PositionMode.Hedge)).Result.IsOk);
        Assert.True((await account.SetPositionMode(RequestId(), PositionMode.Hedge)).Result.IsOk);
        var reused = await account.SetPositionMode(modeId, PositionMode.OneWay);
        Assert.Equal(Rejection.RequestIdReused, reused.Result.Reason);

        var rows = await account.GetJournal(1, 100);
        Assert.Equal([PositionMode.Hedge], rows.Where(r => r.Kind == JournalKind.PositionModeSet).Select(r => r.PositionMode));
        Assert.Equal(PositionMode.Hedge, (await account.GetAccount())!.PositionMode);

        Assert.True((await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long))).Result.IsOk);
        var refused = await account.SetPositionMode(RequestId(), PositionMode.OneWay);
        Assert.Equal((Rejection.PositionModeChangeWithOpenPosition, $"the position mode can change to one-way only with no open position and no order waiting; open: {symbol}/LONG"),
            (refused.Result.Reason, refused.Result.Detail));

        await account.ClosePosition(RequestId(), new LegKey(symbol, LegSide.Long), null);
        Assert.True((await account.SetPositionMode(RequestId(), PositionMode.OneWay)).Result.IsOk);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task EveryPositionCommand_NamesALegThatFitsTheMode()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);

        var oneWay = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long));
        Assert.Equal((Rejection.PositionSideMismatch, "the account is in one-way mode: position side LONG is for hedge mode; use BOTH"),
            (oneWay.Result.Reason, oneWay.Result.Detail));

        await Hedge(account);
        var both = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Both));
        Assert.Equal((Rejection.PositionSideMismatch, "the account is in hedge mode: name the leg, position side LONG or SHORT"),
            (both.Result.Reason, both.Result.Detail));
        Assert.Equal(Rejection.PositionSideMismatch, (await account.ClosePosition(RequestId(), symbol, null)).Result.Reason);
        Assert.Equal(Rejection.PositionSideMismatch, (await account.AddMargin(RequestId(), symbol, 10m)).Result.Reason);
        var reduceOnly = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Long, reduceOnly: true));
        Assert.Equal(Rejection.ReduceOnlyNotApplicable, reduceOnly.Result.Reason);

        Assert.Equal(10_000m, (await account.GetAccount())!.WalletBalance);
        Assert.DoesNotContain(await account.GetJournal(1, 100), r => r.Symbol == symbol);
    }

    [Fact]
    public async Task IsolatedLegs_HoldTheirOwnMargin_AndOneIsLiquidatedWhileTheOtherStays()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Hedge(account);

        var longLeg = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long));    // margin 2,000, fee 10
        var shortLeg = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Short, 50)); // margin 400, fee 10
        Assert.Equal((LegSide.Long, 2_000m, 18_072.28915663m), (longLeg.Position!.LegSide, longLeg.Position.IsolatedMargin, longLeg.Position.LiquidationPrice));
        // The short's own price: (20,000 + 400) / 1.004.
        Assert.Equal((LegSide.Short, 400m, 20_318.72509960m), (shortLeg.Position!.LegSide, shortLeg.Position.IsolatedMargin, shortLeg.Position.LiquidationPrice));
        Assert.Equal(7_580m, shortLeg.WalletBalance);
        Assert.Equal([LegSide.Long, LegSide.Short], (await account.GetAccount())!.Positions.Select(p => p.LegSide));

        await trading.Price(symbol, 20_400m);
        await trading.Settled(async () => await account.GetPosition(new LegKey(symbol, LegSide.Short)) is null, "the short leg's liquidation");

        var kept = (await account.GetPosition(new LegKey(symbol, LegSide.Long)))!;
        Assert.Equal((1m, 2_000m, 400m), (kept.Quantity, kept.IsolatedMargin, kept.UnrealizedPnl));
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(r => r.Kind == JournalKind.Liquidation), "the liquidation's journal row");
        var liquidation = Assert.Single(await account.GetJournal(1, 100), r => r.Kind == JournalKind.Liquidation);
        Assert.Equal((symbol, LegSide.Short, 1m), (liquidation.Symbol, liquidation.LegSide, liquidation.Quantity));
        await trading.LiquidationsWorkedOff(symbol);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task TheOppositeSideOfALeg_ReducesIt_FillsAtMostItsSize_AndNeverFlips()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Hedge(account);
        await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long));

        var reduced = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 0.4m, LegSide.Long));
        Assert.Equal((0.6m, LegSide.Long, PositionSide.Long), (reduced.Position!.Quantity, reduced.Position.LegSide, reduced.Position.Side));

        var closed = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Long));
        Assert.True(closed.Result.IsOk, closed.Result.Detail);
        Assert.Null(closed.Position);
        Assert.Equal("0.6 of 1 filled: the order only reduces, so the rest (0.4) expired", closed.Note);
        Assert.Null(await account.GetPosition(new LegKey(symbol, LegSide.Short)));

        var nothing = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Long));
        Assert.Equal((Rejection.ReduceOnlyWouldIncrease, $"no open position on {symbol} to reduce"), (nothing.Result.Reason, nothing.Result.Detail));

        var rows = (await account.GetJournal(1, 100)).Where(r => r.Symbol == symbol).ToList();
        Assert.Equal([(JournalKind.PositionOpened, 1m), (JournalKind.PositionReduced, 0.4m), (JournalKind.PositionClosed, 0.6m)], rows.Select(r => (r.Kind, r.Quantity)));
        Assert.All(rows, r => Assert.Equal(LegSide.Long, r.LegSide));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task OneWayReduceOnly_LargerThanThePosition_ClosesIt_AndTheRestExpires()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);

        var none = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Both, reduceOnly: true));
        Assert.Equal(Rejection.ReduceOnlyWouldIncrease, none.Result.Reason);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var same = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Both, reduceOnly: true));
        Assert.Equal((Rejection.ReduceOnlyWouldIncrease, $"an order that only reduces cannot add to the long position on {symbol}"), (same.Result.Reason, same.Result.Detail));

        var closed = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1.5m, LegSide.Both, reduceOnly: true));
        Assert.Equal((9_980m, "1 of 1.5 filled: the order only reduces, so the rest (0.5) expired"), (closed.WalletBalance, closed.Note));
        Assert.Null(await account.GetPosition(symbol));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task Leverage_AppliesToEveryOpenLegOfTheSymbol_OnceForARepeatedRequest()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Hedge(account);
        await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long));
        Assert.Equal(5_980m, (await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Short))).WalletBalance);

        // 5x on each leg: 4,000 of margin where 10x held 2,000, the difference from the wallet.
        var id = RequestId();
        var set = await account.SetLeverage(id, symbol, 5);
        Assert.True(set.Result.IsOk, set.Result.Detail);
        Assert.Equal(1_980m, set.WalletBalance);
        Assert.Equal(set, await account.SetLeverage(id, symbol, 5));
        var legs = (await account.GetAccount())!.Positions;
        Assert.Equal([(LegSide.Long, 5, 4_000m), (LegSide.Short, 5, 4_000m)], legs.Select(p => (p.LegSide, p.Leverage, p.IsolatedMargin)));
        Assert.Equal([LegSide.Long, LegSide.Short], (await account.GetJournal(1, 100)).Where(r => r.Kind == JournalKind.LeverageSet).Select(r => r.LegSide));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task CrossLegs_ShareOneLiquidationPrice_AFullyHedgedPairsAboveTheMark_AndBothAreLiquidatedThere()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(410m);
        await Hedge(account);
        await Mode(account, symbol, MarginMode.Cross);
        await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Long, 1m, LegSide.Long, 125));
        var opened = await account.OpenPosition(RequestId(), Order(symbol, PositionSide.Short, 1m, LegSide.Short, 125));
        Assert.Equal(390m, opened.WalletBalance);

        // No uPnL at any mark, but MM grows with it: 390 = 2 × P × 0.4% at P = 48,750, still the first bracket for each leg.
        var legs = (await account.GetAccount())!.Positions;
        Assert.Equal([(LegSide.Long, 48_750m), (LegSide.Short, 48_750m)], legs.Select(p => (p.LegSide, p.LiquidationPrice!.Value)));

        await trading.Price(symbol, 25_000m); // past the short leg's band: a false alarm, the long leg gains what the short loses
        Assert.False(await account.CheckCross());
        await trading.Price(symbol, 48_700m); // MM 389.6
        Assert.False(await account.CheckCross());
        Assert.Equal(2, (await account.GetAccount())!.Positions.Count);

        await trading.Price(symbol, 48_800m); // MM 390.4: the band fires
        await trading.Settled(async () => (await account.GetAccount())!.Positions.Count == 0, "the cross liquidation");
        var rows = (await account.GetJournal(1, 100)).Where(r => r.Kind == JournalKind.Liquidation).ToList();
        Assert.Equal([(LegSide.Long, 28_800m), (LegSide.Short, -28_800m)], rows.Where(r => r.Symbol == symbol).Select(r => (r.LegSide, r.RealizedPnl)));
        // Each leg's share of the margin balance left, by notional, goes to the symbol's fund.
        Assert.Equal([(-195m, symbol), (-195m, symbol)], rows.Where(r => r.Fund is not null).Select(r => (r.WalletDelta, r.Fund!)));
        await trading.LiquidationsWorkedOff(symbol);
        await trading.AssertConserved();
    }
}
