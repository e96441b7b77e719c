using MarginOrleans.Orders;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Orders;

/// <summary>Conditional orders across a crash at their fill and a full restart against real Azurite: each fills once, none is lost.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderRestartTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ACrashBetweenAnOrdersFillAndItsEnd_FillsItOnce_AndEndsItAsTriggered()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10); // margin 2,000, fee 10
        var placed = await account.PlaceOrder(RequestId(), new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Short, 0m, 19_500m, ClosePosition: true));

        // The close applies on the position, then the account dies before booking it and ending the order.
        TestFaults.Instance.Arm(FaultPoints.PositionApplied, account.GetPrimaryKeyString());
        await trading.Price(symbol, 19_500m);
        await trading.Quiet();

        // The index wakes the silent owner again; the account settles the close it sent and ends the order from its answer.
        await trading.AnswerTimeoutPasses(symbol);
        await trading.Quiet();

        Assert.Null(await account.GetPosition(symbol));
        var rows = await account.GetJournal(1, 100);
        Assert.Single(rows, r => r.Kind == JournalKind.PositionClosed);
        Assert.Equal([(JournalKind.OrderPlaced, placed.OrderId), (JournalKind.OrderTriggered, placed.OrderId)],
            rows.Where(r => r.OrderId is not null).Select(r => (r.Kind, r.OrderId!.Value)));
        Assert.Empty(await account.ListOrders());
        Assert.Equal(10_000m - 10m - 500m - 9.75m, (await account.GetAccount())!.WalletBalance); // lost 500 at 19,500, close fee 9.75
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AfterAFullRestart_WaitingOrdersFireFromTheRebuiltIndex_AndTrailingStopsFollowFromTheMarkAtRestart()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var (symbol, accountId) = ("", "");
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            accountId = account.GetPrimaryKeyString();
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            Assert.True((await account.PlaceOrder(RequestId(), new ConditionalOrder(OrderType.StopMarket, symbol, PositionSide.Long, 0.5m, 20_600m, Leverage: 10))).Result.IsOk);
            Assert.True((await account.PlaceOrder(RequestId(), new ConditionalOrder(OrderType.TrailingStopMarket, symbol, PositionSide.Short, 0m,
                ClosePosition: true, CallbackRate: 2m))).Result.IsOk);
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);

            // Nothing has activated the account since the restart: only the rebuilt index can find its orders.
            await trading.Price(symbol, 20_600m);
            await trading.Quiet();
            Assert.Equal(1.5m, (await account.GetPosition(symbol))!.Quantity); // the stop entry added 0.5 at 20,600

            // The trailing stop follows from the mark at restart (20,000): peak 20,600 now, stop 20,188.
            await trading.Price(symbol, 20_200m);
            await trading.Quiet();
            Assert.Equal(1.5m, (await account.GetPosition(symbol))!.Quantity);
            await trading.Price(symbol, 20_188m);
            await trading.Quiet();

            Assert.Null(await account.GetPosition(symbol));
            var close = (await account.GetJournal(1, 100)).Single(r => r.Kind == JournalKind.PositionClosed);
            Assert.Equal((1.5m, 20_188m), (close.Quantity, close.Price));
            Assert.Equal([JournalKind.OrderPlaced, JournalKind.OrderPlaced, JournalKind.OrderTriggered, JournalKind.OrderTriggered],
                (await account.GetJournal(1, 100)).Where(r => r.OrderId is not null).Select(r => r.Kind));
            await trading.AssertConserved();
        });
    }
}
