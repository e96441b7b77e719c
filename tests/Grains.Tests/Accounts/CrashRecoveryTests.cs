using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>A crash between the account's and the position's halves of a transfer neither loses nor duplicates money.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrashRecoveryTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task CrashAfterTheIntentIsRecorded_CancelsTheCommand_AndARetryAppliesItOnce()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var requestId = RequestId();
        var order = new OpenOrder(symbol, PositionSide.Long, 1m, 10, null);

        TestFaults.Instance.Arm(FaultPoints.IntentRecorded, account.GetPrimaryKeyString());
        await Assert.ThrowsAsync<InjectedFault>(() => account.OpenPosition(requestId, order));

        await trading.AssertConserved(); // the audit settles the pending command: it never reached the position
        Assert.Equal(10_000m, (await account.GetAccount())!.WalletBalance);
        Assert.Null(await account.GetPosition(symbol));

        var retried = await account.OpenPosition(requestId, order);
        Assert.True(retried.Result.IsOk, retried.Result.Detail);
        Assert.Equal(7_990m, retried.WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task CrashAfterThePositionApplied_BooksTheWalletOnce_AndTheRetryReturnsTheFirstResult()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var requestId = RequestId();
        var order = new OpenOrder(symbol, PositionSide.Long, 1m, 10, null);

        TestFaults.Instance.Arm(FaultPoints.PositionApplied, account.GetPrimaryKeyString());
        await Assert.ThrowsAsync<InjectedFault>(() => account.OpenPosition(requestId, order));

        var retried = await account.OpenPosition(requestId, order);
        Assert.True(retried.Result.IsOk, retried.Result.Detail);
        Assert.Equal(7_990m, retried.WalletBalance);
        Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
        Assert.Equal(7_990m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task CrashDuringAClose_ReturnsTheMarginExactlyOnce()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var requestId = RequestId();

        TestFaults.Instance.Arm(FaultPoints.PositionApplied, account.GetPrimaryKeyString());
        await Assert.ThrowsAsync<InjectedFault>(() => account.ClosePosition(requestId, symbol, null));
        await trading.AssertConserved();

        // Released 2,000 less a 10 fee, once: 7,990 + 1,990.
        var retried = await account.ClosePosition(requestId, symbol, null);
        Assert.Equal(9_980m, retried.WalletBalance);
        Assert.Equal(9_980m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task APositionEventLostInACrash_IsJournaledOnce_AfterThePositionReactivates()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);

        TestFaults.Instance.Arm(FaultPoints.LiquidationUnreported, PositionKey.Of(account.GetPrimaryKeyString(), symbol));
        await trading.Price(symbol, 18_000m);

        // The failed activation is dropped; the next one finds the report unacknowledged and sends it again.
        await trading.Settled(async () => await account.GetPosition(symbol) is null
            && (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the re-sent liquidation report");
        await trading.AssertConserved();
        Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
    }
}
