using MarginOrleans.Orders;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Orders;

/// <summary>Conditional orders on the mark (example brackets, tick 0.1, lot 0.001, taker fee 0.05%, marks from 20,000).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConditionalOrderTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    private static ConditionalOrder Stop(string symbol, PositionSide side, decimal quantity, decimal trigger, bool reduceOnly = false) =>
        new(OrderType.StopMarket, symbol, side, quantity, trigger, ReduceOnly: reduceOnly, Leverage: 10);

    private static ConditionalOrder TakeProfit(string symbol, PositionSide side, decimal quantity, decimal trigger) =>
        new(OrderType.TakeProfitMarket, symbol, side, quantity, trigger, ReduceOnly: true);

    private async Task<(string Symbol, IAccountGrain Account)> Start(decimal deposit)
    {
        var symbol = await trading.Market(20_000m);
        return (symbol, await trading.Account(deposit));
    }

    /// <summary>Moves the mark and waits until every wake-up it caused has landed.</summary>
    private async Task Mark(string symbol, decimal price)
    {
        await trading.Price(symbol, price);
        await trading.Quiet();
    }

    private static async Task<long> Place(IAccountGrain account, ConditionalOrder order)
    {
        var placed = await account.PlaceOrder(RequestId(), order);
        Assert.True(placed.Result.IsOk, placed.Result.Detail);
        return placed.OrderId;
    }

    private static async Task<List<(JournalKind Kind, long? Order, decimal Price, string? Note)>> OrderRows(IAccountGrain account) =>
        [.. (await account.GetJournal(1, 500)).Where(r => r.OrderId is not null).Select(r => (r.Kind, r.OrderId, r.Price, r.Note))];

    [Fact]
    public async Task AStopEntry_FiresOnceWhenTheMarkCrosses_AtTheMark()
    {
        var (symbol, account) = await Start(10_000m);
        var id = await Place(account, Stop(symbol, PositionSide.Long, 1m, 20_500m));
        Assert.Equal(1, id);

        await Mark(symbol, 20_400m);
        Assert.Null(await account.GetPosition(symbol));
        await Mark(symbol, 20_600m);

        var position = await account.GetPosition(symbol);
        Assert.Equal((PositionSide.Long, 1m, 20_600m, 2_060m), (position!.Side, position.Quantity, position.EntryPrice, position.IsolatedMargin));
        Assert.Equal(10_000m - 2_060m - 10.3m, (await account.GetAccount())!.WalletBalance);
        Assert.Equal([(JournalKind.OrderPlaced, 1L, 20_500m, null), (JournalKind.OrderTriggered, 1L, 20_600m, null)], await OrderRows(account));
        Assert.Empty(await account.ListOrders());

        // The way back and across again fires nothing: the order is gone.
        await Mark(symbol, 20_400m);
        await Mark(symbol, 20_600m);
        Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task PartialTakeProfits_SeveralOnOneLeg_EachCloseItsQuantity()
    {
        var (symbol, account) = await Start(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10); // margin 2,000, fee 10
        await Place(account, TakeProfit(symbol, PositionSide.Short, 0.4m, 21_000m));
        await Place(account, TakeProfit(symbol, PositionSide.Short, 0.3m, 22_000m));
        Assert.Equal(2, (await account.ListOrders()).Count);

        await Mark(symbol, 21_000m);
        Assert.Equal(0.6m, (await account.GetPosition(symbol))!.Quantity);
        await Mark(symbol, 22_000m);
        Assert.Equal(0.3m, (await account.GetPosition(symbol))!.Quantity);

        // Realized 400 and 600; fees 10, 4.2 (0.4 × 21,000 × 0.05%) and 3.3 (0.3 × 22,000 × 0.05%).
        var closes = (await account.GetJournal(1, 100)).Where(r => r.Kind == JournalKind.PositionReduced).Select(r => (r.Quantity, r.Price, r.RealizedPnl, r.Fee));
        Assert.Equal([(0.4m, 21_000m, 400m, 4.2m), (0.3m, 22_000m, 600m, 3.3m)], closes);
        Assert.Empty(await account.ListOrders());
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AnEntry_WithoutTheMarginWhenItFires_IsCancelledWithTheReasonJournaled()
    {
        var (symbol, account) = await Start(100m);
        var id = await Place(account, Stop(symbol, PositionSide.Long, 1m, 20_500m)); // margin 2,050 at 20,500: the wallet holds 100

        await Mark(symbol, 20_500m);

        Assert.Null(await account.GetPosition(symbol));
        Assert.Equal(100m, (await account.GetAccount())!.WalletBalance);
        var rows = await OrderRows(account);
        Assert.Equal((JournalKind.OrderCancelled, id), (rows[^1].Kind, rows[^1].Order));
        Assert.StartsWith("fired, but its market order was refused: InsufficientBalance", rows[^1].Note);
        Assert.Empty(await account.ListOrders());
        await trading.AssertConserved();
    }

    [Fact]
    public async Task OrdersThatOnlyReduce_AreCancelledWithTheirLeg_EntriesStay()
    {
        var (symbol, account) = await Start(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var stopLoss = await Place(account, new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Short, 0m, 19_000m, ClosePosition: true));
        var takeProfit = await Place(account, TakeProfit(symbol, PositionSide.Short, 0.5m, 21_000m));
        var entry = await Place(account, Stop(symbol, PositionSide.Long, 0.1m, 20_800m));

        Assert.True((await account.ClosePosition(RequestId(), symbol, null)).Result.IsOk);

        Assert.Equal([entry], (await account.ListOrders()).Select(o => o.OrderId));
        var cancelled = (await OrderRows(account)).Where(r => r.Kind == JournalKind.OrderCancelled).ToList();
        Assert.Equal([stopLoss, takeProfit], cancelled.Select(r => r.Order!.Value));
        Assert.All(cancelled, r => Assert.Equal($"the {symbol} position it reduces closed", r.Note));

        // The mark crossing a cancelled order's price fires nothing.
        await Mark(symbol, 18_900m);
        Assert.Null(await account.GetPosition(symbol));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AClosePositionStop_ClosesTheWholeLegWhateverItsSizeWhenItFires()
    {
        var (symbol, account) = await Start(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var id = await Place(account, new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Short, 0m, 19_500m, ClosePosition: true));
        await Open(account, symbol, PositionSide.Long, 0.5m, 10); // the leg grows after the order was placed

        await Mark(symbol, 19_500m);

        Assert.Null(await account.GetPosition(symbol));
        var rows = await OrderRows(account);
        Assert.Equal((JournalKind.OrderTriggered, id, 19_500m), (rows[^1].Kind, rows[^1].Order, rows[^1].Price));
        var close = (await account.GetJournal(1, 100)).Single(r => r.Kind == JournalKind.PositionClosed);
        Assert.Equal((1.5m, -750m), (close.Quantity, close.RealizedPnl)); // (19,500 − 20,000) × 1.5
        await trading.AssertConserved();
    }

    [Fact]
    public async Task ATrailingStop_FollowsThePeak_AndFiresWhenTheMarkFallsByItsRate()
    {
        var (symbol, account) = await Start(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var id = await Place(account, new ConditionalOrder(OrderType.TrailingStopMarket, symbol, PositionSide.Short, 0m,
            ClosePosition: true, CallbackRate: 1m, ActivationPrice: 20_500m));

        await Mark(symbol, 20_300m); // below the activation price: waiting, 1% under 20,300 is nothing yet
        await Mark(symbol, 20_600m); // activates, peak 20,600
        await Mark(symbol, 21_000m); // peak 21,000: the stop is at 20,790
        await Mark(symbol, 20_800m);
        Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);

        await Mark(symbol, 20_790m);

        Assert.Null(await account.GetPosition(symbol));
        var close = (await account.GetJournal(1, 100)).Single(r => r.Kind == JournalKind.PositionClosed);
        Assert.Equal((1m, 20_790m, 790m), (close.Quantity, close.Price, close.RealizedPnl));
        Assert.Equal((JournalKind.OrderTriggered, id), ((await OrderRows(account))[^1].Kind, (await OrderRows(account))[^1].Order));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task ATrailingStop_PlacedOnceTheBookHadEmptied_FollowsFromTheMarkItIsPlacedAt()
    {
        var symbol = await trading.Market(20_000m, shards: 1); // one shard: both stops meet in its one trailing book
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var stop = new ConditionalOrder(OrderType.TrailingStopMarket, symbol, PositionSide.Short, 0m, ClosePosition: true, CallbackRate: 1m);
        var first = await Place(account, stop); // follows from 20,000
        Assert.True((await account.CancelOrder(RequestId(), first)).Result.IsOk); // the book is empty again
        await Mark(symbol, 20_500m);
        await Mark(symbol, 21_000m);

        await Place(account, stop); // follows from 21,000: the stop is at 20,790, not 1% under a mark the empty book last saw
        await Mark(symbol, 20_790m);

        Assert.Null(await account.GetPosition(symbol));
        var close = (await account.GetJournal(1, 100)).Single(r => r.Kind == JournalKind.PositionClosed);
        Assert.Equal((1m, 20_790m, 790m), (close.Quantity, close.Price, close.RealizedPnl));
        await trading.AssertConserved();
    }

    [Fact]
    public async Task PlaceAmendAndCancel_AreEachExactlyOnce_AndRefuseTheirIdForOtherArguments()
    {
        var (symbol, account) = await Start(10_000m);
        var placeId = RequestId();
        var first = await account.PlaceOrder(placeId, Stop(symbol, PositionSide.Long, 1m, 20_500m));
        var again = await account.PlaceOrder(placeId, Stop(symbol, PositionSide.Long, 1m, 20_500m));
        Assert.Equal(first, again);
        Assert.Equal(Rejection.RequestIdReused, (await account.PlaceOrder(placeId, Stop(symbol, PositionSide.Long, 2m, 20_500m))).Result.Reason);

        var amendId = RequestId();
        Assert.True((await account.AmendOrder(amendId, first.OrderId, new OrderAmendment(TriggerPrice: 20_700m))).Result.IsOk);
        Assert.True((await account.AmendOrder(amendId, first.OrderId, new OrderAmendment(TriggerPrice: 20_700m))).Result.IsOk);
        Assert.Equal(Rejection.RequestIdReused, (await account.AmendOrder(amendId, first.OrderId, new OrderAmendment(TriggerPrice: 20_800m))).Result.Reason);
        Assert.Equal(20_700m, (await account.ListOrders()).Single().Order.TriggerPrice);

        await Mark(symbol, 20_600m); // past the old trigger, short of the amended one
        Assert.Null(await account.GetPosition(symbol));

        var cancelId = RequestId();
        var cancel = await account.CancelOrder(cancelId, first.OrderId);
        Assert.Equal(cancel, await account.CancelOrder(cancelId, first.OrderId));
        var unknown = await account.CancelOrder(RequestId(), first.OrderId);
        Assert.Equal((Rejection.OrderUnknown, $"no open order {first.OrderId}: never placed, or already fired, cancelled or expired"), (unknown.Result.Reason, unknown.Result.Detail));
        Assert.Equal(Rejection.OrderUnknown, (await account.AmendOrder(RequestId(), 99, new OrderAmendment(TriggerPrice: 20_900m))).Result.Reason);

        await Mark(symbol, 20_800m);
        Assert.Null(await account.GetPosition(symbol));
        Assert.Equal([JournalKind.OrderPlaced, JournalKind.OrderAmended, JournalKind.OrderCancelled], (await OrderRows(account)).Select(r => r.Kind));
        await trading.AssertConserved();
    }

    /// <summary>An account's orders live in its one state row: the 201st is refused, keeps its id, and changes nothing; a cancel makes room.</summary>
    [Fact]
    public async Task TheTwoHundredAndFirstOpenOrder_IsRefused_UntilOneIsCancelled()
    {
        var (symbol, account) = await Start(10_000m);
        for (var i = 0; i < AccountState.OpenOrdersMax; i++)
        {
            await Place(account, Stop(symbol, PositionSide.Long, 0.001m, 20_500m + (i * 0.1m)));
        }

        var refusedId = RequestId();
        var refused = await account.PlaceOrder(refusedId, Stop(symbol, PositionSide.Long, 0.001m, 21_000m));
        Assert.Equal((Rejection.OpenOrdersMax, "the account holds 200 open orders, the most it may; cancel one first"), (refused.Result.Reason, refused.Result.Detail));
        Assert.Equal(refused, await account.PlaceOrder(refusedId, Stop(symbol, PositionSide.Long, 0.001m, 21_000m)));
        Assert.Equal(200, (await account.ListOrders()).Count);
        Assert.Equal(200, (await OrderRows(account)).Count);

        Assert.True((await account.CancelOrder(RequestId(), 200)).Result.IsOk);
        Assert.Equal(201, await Place(account, Stop(symbol, PositionSide.Long, 0.001m, 21_000m)));
        Assert.Equal(200, (await account.ListOrders()).Count);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AnOrderPastItsGoodTillTime_NeverFires_AndIsJournaledAsExpired()
    {
        var (symbol, account) = await Start(10_000m);
        var clock = TestClock.Of(fixture.Grains);
        var till = clock.GetUtcNow().AddMinutes(1);
        var id = await Place(account, Stop(symbol, PositionSide.Long, 1m, 20_500m) with { GoodTill = till });

        clock.Advance(TimeSpan.FromMinutes(2));
        await Mark(symbol, 20_600m);

        Assert.Null(await account.GetPosition(symbol));
        Assert.Empty(await account.ListOrders());
        var rows = await OrderRows(account);
        Assert.Equal((JournalKind.OrderCancelled, id, $"expired at {till:O}"), (rows[^1].Kind, rows[^1].Order, rows[^1].Note));
    }

    [Theory]
    [InlineData(OrderType.StopMarket, PositionSide.Short, "20100", null, null, false, Rejection.TriggerWouldFireNow)]
    [InlineData(OrderType.TakeProfitMarket, PositionSide.Long, "20100", null, null, false, Rejection.TriggerWouldFireNow)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Short, null, "0.05", null, false, Rejection.CallbackRateOutOfRange)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Short, null, "10.1", null, false, Rejection.CallbackRateOutOfRange)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Short, null, "0.15", null, false, Rejection.CallbackRateOutOfRange)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Short, null, "1", "19000", false, Rejection.ActivationPriceReached)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Long, null, "1", "21000", false, Rejection.ActivationPriceReached)]
    [InlineData(OrderType.TrailingStopMarket, PositionSide.Short, "19000", "1", null, false, Rejection.OrderFieldsInvalid)]
    [InlineData(OrderType.StopMarket, PositionSide.Short, "19000", "1", null, false, Rejection.OrderFieldsInvalid)]
    [InlineData(OrderType.StopMarket, PositionSide.Short, "19000", null, null, true, Rejection.ReduceOnlyWouldIncrease)]
    [InlineData(OrderType.StopMarket, PositionSide.Short, "19000.05", null, null, false, Rejection.PriceNotMultipleOfTick)]
    public async Task ABadOrder_IsRefusedWithItsReason_AndChangesNothing(OrderType type, PositionSide side, string? trigger, string? rate,
        string? activation, bool reduceOnly, Rejection reason)
    {
        var (symbol, account) = await Start(10_000m);
        var order = new ConditionalOrder(type, symbol, side, 1m, Number(trigger), ReduceOnly: reduceOnly, CallbackRate: Number(rate), ActivationPrice: Number(activation));

        Assert.Equal(reason, (await account.PlaceOrder(RequestId(), order)).Result.Reason);
        Assert.Empty(await account.ListOrders());
        Assert.DoesNotContain(await account.GetJournal(1, 100), r => r.OrderId is not null);
    }

    private static decimal? Number(string? text) => text is null ? null : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AGoodTillInThePast_AndQuantityWithClosePosition_AreRefused()
    {
        var (symbol, account) = await Start(10_000m);
        var past = TestClock.Of(fixture.Grains).GetUtcNow().AddSeconds(-1);
        Assert.Equal(Rejection.GoodTillPassed, (await account.PlaceOrder(RequestId(), Stop(symbol, PositionSide.Long, 1m, 20_500m) with { GoodTill = past })).Result.Reason);
        Assert.Equal(Rejection.OrderFieldsInvalid,
            (await account.PlaceOrder(RequestId(), Stop(symbol, PositionSide.Long, 1m, 20_500m) with { ClosePosition = true })).Result.Reason);
    }

    [Fact]
    public async Task ThePositionMode_DoesNotChangeWithAnOrderWaiting()
    {
        var (symbol, account) = await Start(10_000m);
        var id = await Place(account, Stop(symbol, PositionSide.Long, 1m, 20_500m));
        var refused = await account.SetPositionMode(RequestId(), PositionMode.Hedge);
        Assert.Equal((Rejection.PositionModeChangeWithOpenPosition, $"the position mode can change to hedge only with no open position and no order waiting; orders waiting: {id}"),
            (refused.Result.Reason, refused.Result.Detail));
    }

    [Fact]
    public async Task HedgeLegs_TakeTheirOwnOrders_AndACrossLegsTakeProfitFires()
    {
        var (symbol, account) = await Start(10_000m);
        await Mode(account, symbol, MarginMode.Cross);
        Assert.True((await account.SetPositionMode(RequestId(), PositionMode.Hedge)).Result.IsOk);
        Assert.True((await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 1m, 10, null, LegSide: LegSide.Long))).Result.IsOk);
        Assert.True((await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Short, 1m, 10, null, LegSide: LegSide.Short))).Result.IsOk);
        var longExit = await Place(account, new ConditionalOrder(OrderType.TakeProfitMarket, symbol, PositionSide.Short, 0m, 20_400m, ClosePosition: true, LegSide: LegSide.Long));
        var shortExit = await Place(account, new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Long, 0m, 20_400m, ClosePosition: true, LegSide: LegSide.Short));
        var wrongSide = await account.PlaceOrder(RequestId(), new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Long, 0m, 20_400m, ClosePosition: true, LegSide: LegSide.Long));
        Assert.Equal((Rejection.OrderFieldsInvalid, "close_position on the LONG leg is a SELL"), (wrongSide.Result.Reason, wrongSide.Result.Detail));

        await Mark(symbol, 20_400m);

        Assert.Null(await account.GetPosition(new LegKey(symbol, LegSide.Long)));
        Assert.Null(await account.GetPosition(new LegKey(symbol, LegSide.Short)));
        Assert.Equal([longExit, shortExit], (await OrderRows(account)).Where(r => r.Kind == JournalKind.OrderTriggered).Select(r => r.Order!.Value).Order());
        await trading.AssertConserved();
    }
}
