using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// Every way a position ends — a close, its own stop-loss, a liquidation (with or without step-downs
/// first), auto-deleveraging — leaves no take-profit or stop-loss behind: the next position on the
/// symbol starts with none, in state and in the trigger index. The old orders (take-profit 25,000,
/// stop-loss 17,000 on a long from 20,000) would otherwise close the new position at once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PositionEndTests(ClusterFixture fixture)
{
    private const decimal OldTakeProfit = 25_000m;
    private const decimal OldStopLoss = 17_000m;

    private readonly Trading trading = new(fixture.Grains);

    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task AClose_LeavesNoOrders_ForTheNextPosition(MarginMode mode)
    {
        var (symbol, account) = await Opened(mode, 1m, 10, deposit: 10_000m);
        Assert.True((await account.ClosePosition(RequestId(), symbol, null)).Result.IsOk);

        await ReopenedWithoutOrders(symbol, account, mark: 20_000m);
    }

    [Theory]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Cross)]
    public async Task AStopLoss_IsJournaledWithTheQuantityItClosed_AndLeavesNoOrders(MarginMode mode)
    {
        var (symbol, account) = await Opened(mode, 1m, 10, deposit: 10_000m, stopLoss: 19_000m);

        await trading.Price(symbol, 19_000m);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.StopLoss), "the stop-loss");

        var stop = Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.StopLoss);
        Assert.Equal((1m, 19_000m, -1_000m), (stop.Quantity, stop.Price, stop.RealizedPnl));
        await ReopenedWithoutOrders(symbol, account, mark: 19_000m);
    }

    /// <summary>
    /// Isolated 1 @ 20,000, 10x: liquidation price 18,072.29; at 18,000 it is liquidated. Cross with a
    /// wallet of 2,100 (2,090 after the fee): liquidated at or below 17,910 / 0.996 = 17,981.93.
    /// </summary>
    [Theory]
    [InlineData(MarginMode.Isolated, 10_000, 18_000)]
    [InlineData(MarginMode.Cross, 2_100, 17_900)]
    public async Task ALiquidation_LeavesNoOrders_ForTheNextPosition(MarginMode mode, decimal deposit, decimal liquidatingMark)
    {
        var (symbol, account) = await Opened(mode, 1m, 10, deposit);

        Assert.True((await trading.Price(symbol, liquidatingMark)).Fired >= 1);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation");
        Assert.True((await account.Deposit(RequestId(), 10_000m)).Result.IsOk);

        await ReopenedWithoutOrders(symbol, account, liquidatingMark);
    }

    /// <summary>
    /// 5 @ 20,000, 50x sits in the second bracket; at 19,000 it first steps down to 2.631 (the first
    /// bracket's cap 50,000 / 19,000 on the lot), then is still below maintenance and is liquidated.
    /// </summary>
    [Fact]
    public async Task StepDownsThenALiquidation_LeaveNoOrders_ForTheNextPosition()
    {
        var (symbol, account) = await Opened(MarginMode.Isolated, 5m, 50, deposit: 10_000m, stopLoss: 18_000m);

        await trading.Price(symbol, 19_000m);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation");
        var journal = await account.GetJournal(1, 100);
        Assert.Equal([JournalKind.PartialLiquidation, JournalKind.Liquidation],
            journal.Where(e => e.Kind is JournalKind.PartialLiquidation or JournalKind.Liquidation).Select(e => e.Kind));

        await ReopenedWithoutOrders(symbol, account, mark: 19_000m, oldStopLoss: 18_000m);
    }

    /// <summary>
    /// A bankrupt long (1 @ 20,000, 10x) gaps to 17,000 with an empty fund: the only short (0.5 @
    /// 20,000, 20x, with its own orders) is deleveraged whole at 18,000.
    /// </summary>
    [Fact]
    public async Task AutoDeleveragingThatClosesThePosition_LeavesNoOrders_ForTheNextPosition()
    {
        var symbol = await trading.Market(20_000m);
        var bankrupt = await trading.Account(10_000m);
        await Open(bankrupt, symbol, PositionSide.Long, 1m, 10);
        var account = await trading.Account(10_000m);
        var opened = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Short, 0.5m, 20, null, 15_000m, 30_000m));
        Assert.True(opened.Result.IsOk, opened.Result.Detail);

        await trading.Price(symbol, 17_000m);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.AutoDeleveraged), "auto-deleveraging");
        Assert.Null(await account.GetPosition(symbol));
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 1_000m)).IsOk); // what it still owes: no further deleveraging
        await trading.LiquidationsWorkedOff(symbol);

        var reopened = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Short, 0.5m, 20, null));
        Assert.True(reopened.Result.IsOk, reopened.Result.Detail);
        Assert.Equal(((decimal?)null, (decimal?)null), (reopened.Position!.TakeProfit, reopened.Position.StopLoss));

        // The old take-profit at 15,000 would close the new short now.
        Assert.Equal(0, (await trading.Price(symbol, 15_000m)).Fired);
        Assert.Equal(0.5m, (await account.GetPosition(symbol))!.Quantity);
        await trading.AssertConservedOnceSettled();
    }

    private async Task<(string Symbol, IAccountGrain Account)> Opened(MarginMode mode, decimal quantity, int leverage, decimal deposit, decimal stopLoss = OldStopLoss)
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(deposit);
        await Mode(account, symbol, mode);
        var opened = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, quantity, leverage, null, OldTakeProfit, stopLoss));
        Assert.True(opened.Result.IsOk, opened.Result.Detail);
        return (symbol, account);
    }

    /// <summary>A long of 0.1 at 2x opened at <paramref name="mark"/> holds no orders, and a mark past the old stop-loss fires nothing.</summary>
    private async Task ReopenedWithoutOrders(string symbol, IAccountGrain account, decimal mark, decimal oldStopLoss = OldStopLoss)
    {
        await trading.Settled(async () => await account.GetPosition(symbol) is null, "the position to end");
        await trading.LiquidationsWorkedOff(symbol);
        var reopened = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.1m, 2, null));
        Assert.True(reopened.Result.IsOk, reopened.Result.Detail);
        Assert.Equal((mark, (decimal?)null, (decimal?)null), (reopened.Position!.EntryPrice, reopened.Position.TakeProfit, reopened.Position.StopLoss));

        // Past the old stop-loss, far from the new position's liquidation price (about half the mark).
        Assert.Equal(0, (await trading.Price(symbol, oldStopLoss - 100m)).Fired);
        var position = await account.GetPosition(symbol);
        Assert.Equal((0.1m, (decimal?)null, (decimal?)null), (position!.Quantity, position.TakeProfit, position.StopLoss));
        await trading.AssertConservedOnceSettled();
    }
}
