using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// Open, top up, remove, increase, reduce, flip and close an isolated position on a market with
/// tick 0.1, lot 0.001, taker fee 0.05% and the example bracket table (docs/margin-math.md); every figure by hand.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IsolatedLifecycleTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    /// <summary>"open --leverage 5", then an open without a leverage adds at 5x, not at a default of 20x.</summary>
    [Fact]
    public async Task OpenWithoutLeverage_AddsAtTheLeverageTheOpenPositionHolds()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 0.1m, 5);

        var added = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.1m, null, null));

        Assert.True(added.Result.IsOk, added.Result.Detail);
        Assert.Equal((0.2m, 5, 800m), (added.Position!.Quantity, added.Position.Leverage, added.Position.IsolatedMargin)); // 2 × 2,000 / 5
        await trading.AssertConserved();
    }

    [Fact]
    public async Task Open_TakesInitialMarginAndFeeFromTheWallet()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);

        var result = await Open(account, symbol, PositionSide.Long, 1m, 10);

        // IM = 1 × 20,000 / 10 = 2,000; fee = 20,000 × 0.0005 = 10.
        Assert.Equal(7_990m, result.WalletBalance);
        Assert.Equal(10m, result.Fee);
        var position = result.Position!;
        Assert.Equal((PositionSide.Long, 1m, 20_000m, 10, 2_000m), (position.Side, position.Quantity, position.EntryPrice, position.Leverage, position.IsolatedMargin));
        Assert.Equal(18_072.28915663m, position.LiquidationPrice); // (20,000 − 2,000) / 0.996
        Assert.Equal(18_000m, position.BankruptcyPrice);
        Assert.Equal(80m, position.MaintenanceMargin);             // 20,000 × 0.4%
        await trading.AssertConserved();
    }

    [Fact]
    public async Task AddMargin_MovesLiquidationPriceAwayFromMark_AndRemoveIsCappedAtMaxRemovable()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        var added = await account.AddMargin(RequestId(), symbol, 500m);
        Assert.Equal(7_490m, added.WalletBalance);
        Assert.Equal(2_500m, added.Position!.IsolatedMargin);
        Assert.Equal(17_570.28112450m, added.Position.LiquidationPrice); // (20,000 − 2,500) / 0.996: lower, away from the mark
        Assert.Equal(500m, added.Position.MaxRemovable);                   // 2,500 − IM 2,000

        var tooMuch = await account.RemoveMargin(RequestId(), symbol, 500.01m);
        Assert.Equal(Rejection.ExceedsMaxRemovable, tooMuch.Result.Reason);
        Assert.Equal(7_490m, tooMuch.WalletBalance);

        var removed = await account.RemoveMargin(RequestId(), symbol, 500m);
        Assert.Equal(7_990m, removed.WalletBalance);
        Assert.Equal(2_000m, removed.Position!.IsolatedMargin);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task Increase_Reduce_Flip_Close_BookExactPnlFeesAndMargin()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        // Increase at 21,000: IM 2,100, fee 10.5; entry = (20,000 + 21,000) / 2.
        await trading.Price(symbol, 21_000m);
        var increased = await Open(account, symbol, PositionSide.Long, 1m, 10);
        Assert.Equal((2m, 20_500m, 4_100m), (increased.Position!.Quantity, increased.Position.EntryPrice, increased.Position.IsolatedMargin));
        Assert.Equal(5_879.5m, increased.WalletBalance);

        // Reduce 0.5 at 22,000: realized 0.5 × 1,500 = 750; released 4,100 / 4 = 1,025; fee 5.5.
        await trading.Price(symbol, 22_000m);
        var reduced = await account.ClosePosition(RequestId(), symbol, 0.5m);
        Assert.Equal((750m, 5.5m), (reduced.RealizedPnl, reduced.Fee));
        Assert.Equal((1.5m, 3_075m), (reduced.Position!.Quantity, reduced.Position.IsolatedMargin));
        Assert.Equal(7_649m, reduced.WalletBalance);

        // Flip with a short of 2.5: close 1.5 (realized 2,250, released 3,075, fee 16.5), open short 1 (IM 2,200, fee 11).
        var flipped = await Open(account, symbol, PositionSide.Short, 2.5m, 10);
        Assert.Equal((2_250m, 27.5m), (flipped.RealizedPnl, flipped.Fee));
        Assert.Equal((PositionSide.Short, 1m, 22_000m, 2_200m), (flipped.Position!.Side, flipped.Position.Quantity, flipped.Position.EntryPrice, flipped.Position.IsolatedMargin));
        Assert.Equal(10_746.5m, flipped.WalletBalance);

        // Close at 21,000: the short gains 1,000; released 2,200; fee 10.5.
        await trading.Price(symbol, 21_000m);
        var closed = await account.ClosePosition(RequestId(), symbol, null);
        Assert.Null(closed.Position);
        Assert.Equal(13_936m, closed.WalletBalance);

        var audit = await trading.AssertConserved();
        var ledger = await account.GetLedger();
        Assert.Equal(-3_936m, ledger.HouseLeg); // fees 64 in, trader gains 4,000 out
        Assert.Equal(0m, ledger.IsolatedMargin);
        Assert.True(audit.Accounts > 0);

        var journal = await account.GetJournal(1, 100);
        Assert.Equal(
            [JournalKind.Deposit, JournalKind.PositionOpened, JournalKind.PositionIncreased, JournalKind.PositionReduced, JournalKind.PositionFlipped, JournalKind.PositionClosed],
            journal.Select(e => e.Kind));
        Assert.Equal(13_936m, journal[^1].WalletBalance);
    }

    [Fact]
    public async Task RepeatedRequestId_ReturnsTheFirstResultAndChangesNothing()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var requestId = RequestId();
        var order = new OpenOrder(symbol, PositionSide.Long, 1m, 10, null);

        var first = await account.OpenPosition(requestId, order);
        await trading.Price(symbol, 19_000m);
        var second = await account.OpenPosition(requestId, order);

        Assert.Equal(first, second);
        Assert.Equal(7_990m, (await account.GetAccount())!.WalletBalance);
        Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task Open_BeyondTheBracketLeverageOrTheWallet_IsRejectedAndChangesNothing()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);

        // 3 BTC = 60,000 notional: bracket 2 allows 100x, not 125x.
        var leverage = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 3m, 125, null));
        Assert.Equal(Rejection.LeverageExceedsBracketMax, leverage.Result.Reason);

        // 1 BTC at 1x needs 20,010.
        var balance = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 1m, 1, null));
        Assert.Equal(Rejection.InsufficientBalance, balance.Result.Reason);

        var limit = await account.OpenPosition(RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.1m, 10, 19_999.9m));
        Assert.Equal(Rejection.LimitPriceNotMet, limit.Result.Reason);

        Assert.Equal(10_000m, (await account.GetAccount())!.WalletBalance);
        Assert.Null(await account.GetPosition(symbol));
        await trading.AssertConserved();
    }
}
