using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// Take-profit and stop-loss on the mark, isolated and cross alike. Each scenario: 1 BTC
/// at 20,000, 10x, deposit 10,000, taker fee 0.05% (10 to open); the order closes the whole position
/// at the mark it fires on, so the wallet ends at 10,000 − 10 + PnL − mark × 0.0005.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TakeProfitStopLossTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    public static TheoryData<MarginMode, PositionSide, decimal, decimal, JournalKind, decimal, decimal> Orders => new()
    {
        // mode, side, tick just short of the order, the tick that reaches it, journaled as, realized PnL, wallet after
        { MarginMode.Isolated, PositionSide.Long, 20_999.9m, 21_000m, JournalKind.TakeProfit, 1_000m, 10_979.5m },
        { MarginMode.Isolated, PositionSide.Long, 19_000.1m, 19_000m, JournalKind.StopLoss, -1_000m, 8_980.5m },
        { MarginMode.Isolated, PositionSide.Short, 19_000.1m, 19_000m, JournalKind.TakeProfit, 1_000m, 10_980.5m },
        { MarginMode.Isolated, PositionSide.Short, 20_999.9m, 21_000m, JournalKind.StopLoss, -1_000m, 8_979.5m },
        { MarginMode.Cross, PositionSide.Long, 20_999.9m, 21_000m, JournalKind.TakeProfit, 1_000m, 10_979.5m },
        { MarginMode.Cross, PositionSide.Long, 19_000.1m, 19_000m, JournalKind.StopLoss, -1_000m, 8_980.5m },
        { MarginMode.Cross, PositionSide.Short, 19_000.1m, 19_000m, JournalKind.TakeProfit, 1_000m, 10_980.5m },
        { MarginMode.Cross, PositionSide.Short, 20_999.9m, 21_000m, JournalKind.StopLoss, -1_000m, 8_979.5m },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task AnOrder_FiresOnTheTickThatReachesIt_NotOneTickBefore(
        MarginMode mode, PositionSide side, decimal before, decimal reaching, JournalKind kind, decimal realized, decimal wallet)
    {
        var (symbol, account) = await Opened(mode, side, takeProfit: side == PositionSide.Long ? 21_000m : 19_000m, stopLoss: side == PositionSide.Long ? 19_000m : 21_000m);

        await trading.Price(symbol, before);
        await trading.Quiet(); // a wake-up, had there been one, has closed it by now
        Assert.NotNull(await account.GetPosition(symbol));

        Assert.True((await trading.Price(symbol, reaching)).Fired >= 1);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, $"the {kind}");

        var close = Assert.Single(await account.GetJournal(1, 100), e => e.Kind == kind);
        Assert.Equal((reaching, realized, reaching * 0.0005m, wallet), (close.Price, close.RealizedPnl, close.Fee, close.WalletBalance));
        Assert.Equal(wallet, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task AnOrderTheMarkAlreadyCrosses_IsRefused_AndChangesNothing(MarginMode mode)
    {
        var (symbol, account) = await Opened(mode, PositionSide.Long, takeProfit: null, stopLoss: null);
        var before = await account.GetPosition(symbol);

        var takeProfit = await account.SetTakeProfitStopLoss(RequestId(), symbol, 19_999.9m, null);
        Assert.Equal((Rejection.TriggerWouldFireNow, "a long's take-profit must lie above the mark 20000; 19999.9 would fire at once"),
            (takeProfit.Result.Reason, takeProfit.Result.Detail));
        var stopLoss = await account.SetTakeProfitStopLoss(RequestId(), symbol, null, 20_000m);
        Assert.Equal((Rejection.TriggerWouldFireNow, "a long's stop-loss must lie below the mark 20000; 20000 would fire at once"),
            (stopLoss.Result.Reason, stopLoss.Result.Detail));
        var offTick = await account.SetTakeProfitStopLoss(RequestId(), symbol, 21_000.05m, null);
        Assert.Equal((Rejection.PriceNotMultipleOfTick, "take_profit_price 21000.05 must be a positive multiple of the tick size 0.1"),
            (offTick.Result.Reason, offTick.Result.Detail));
        var opening = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 1m, 10, null, StopLoss: 20_500m));
        Assert.Equal(Rejection.TriggerWouldFireNow, opening.Result.Reason);

        Assert.Equal(before, await account.GetPosition(symbol));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AStopLossPastTheLiquidationPrice_IsAccepted_ButTheReplySaysLiquidationComesFirst()
    {
        var (symbol, account) = await Opened(MarginMode.Isolated, PositionSide.Long, takeProfit: null, stopLoss: null);

        var set = await account.SetTakeProfitStopLoss(RequestId(), symbol, null, 18_000m);

        Assert.True(set.Result.IsOk, set.Result.Detail);
        Assert.Equal($"the stop-loss 18000 lies past the liquidation price {set.Position!.LiquidationPrice}: liquidation comes first", set.Note);
        Assert.Equal(18_072.28915663m, set.Position.LiquidationPrice); // (20,000 − 2,000) / 0.996
    }

    /// <summary>
    /// The rule for a tick that gaps past a stop-loss: the position decides against the mark. At or
    /// below maintenance it is a liquidation (the stop was never reachable as a close); above, the stop closes it.
    /// </summary>
    [Theory]
    [InlineData(18_000, JournalKind.Liquidation)]  // past the stop-loss 18,500 and the liquidation price 18,072.29
    [InlineData(18_400, JournalKind.StopLoss)]     // past the stop-loss only
    public async Task ATickGappingPastTheStopLoss_LiquidatesOnlyAtMaintenance(decimal gap, JournalKind expected)
    {
        var (symbol, account) = await Opened(MarginMode.Isolated, PositionSide.Long, takeProfit: null, stopLoss: 18_500m);

        await trading.Price(symbol, gap);
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the close");
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == expected), $"the {expected} row");

        var journal = await account.GetJournal(1, 100);
        Assert.DoesNotContain(journal, e => e.Kind == (expected == JournalKind.StopLoss ? JournalKind.Liquidation : JournalKind.StopLoss));
        await trading.AssertConservedOnceSettled();
    }

    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task Orders_AreKeptWhenThePositionGrowsOrShrinks_AndClearedWhenItFlips(MarginMode mode)
    {
        var (symbol, account) = await Opened(mode, PositionSide.Long, takeProfit: 21_000m, stopLoss: 19_000m);

        var increased = await Open(account, symbol, PositionSide.Long, 0.5m, 10);
        Assert.Equal((21_000m, 19_000m, 1.5m), (increased.Position!.TakeProfit, increased.Position.StopLoss, increased.Position.Quantity));
        var reduced = await account.ClosePosition(RequestId(), symbol, 1m);
        Assert.Equal((21_000m, 19_000m, 0.5m), (reduced.Position!.TakeProfit, reduced.Position.StopLoss, reduced.Position.Quantity));

        var flipped = await Open(account, symbol, PositionSide.Short, 1m, 10);
        Assert.Equal((PositionSide.Short, (decimal?)null, (decimal?)null), (flipped.Position!.Side, flipped.Position.TakeProfit, flipped.Position.StopLoss));

        // The old long's orders left the index with it: 21,000 and 19,000 close nothing now.
        await trading.Price(symbol, 21_000m);
        await trading.Price(symbol, 19_000m);
        await trading.Quiet();
        Assert.Equal(0.5m, (await account.GetPosition(symbol))!.Quantity);
        await trading.AssertConserved();
    }

    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task Orders_SurviveAFullRestart_AndFireAfterIt(MarginMode mode)
    {
        var prefix = ClusterFixture.NewTablePrefix();
        string symbol = "";
        string accountId = "";
        await ClusterFixture.Run(prefix, async grains =>
        {
            var before = new Trading(grains);
            symbol = await before.Market(20_000m);
            var account = await before.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Mode(account, symbol, mode);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            Assert.True((await account.SetTakeProfitStopLoss(RequestId(), symbol, 21_000m, 19_000m)).Result.IsOk);
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var after = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            Assert.Equal((21_000m, 19_000m), ((await account.GetPosition(symbol))!.TakeProfit, (await account.GetPosition(symbol))!.StopLoss));
            await after.Price(symbol, 21_000m);
            await after.Settled(async () => await account.GetPosition(symbol) is null, "the take-profit after the restart");
            Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.TakeProfit);
            await after.AssertConserved();
        });
    }

    private async Task<(string Symbol, IAccountGrain Account)> Opened(MarginMode mode, PositionSide side, decimal? takeProfit, decimal? stopLoss)
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Mode(account, symbol, mode);
        var opened = await account.OpenPosition(RequestId(), new OpenOrder(symbol, side, 1m, 10, null, takeProfit, stopLoss));
        Assert.True(opened.Result.IsOk, opened.Result.Detail);
        Assert.Equal((takeProfit, stopLoss), (opened.Position!.TakeProfit, opened.Position.StopLoss));
        return (symbol, account);
    }
}
