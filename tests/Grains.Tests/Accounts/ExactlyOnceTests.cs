using MarginOrleans.Accounts;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>A request id stays unique for its account however many commands follow, and names one command only.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task ARequestId_RepeatedAfter130OtherCommands_ReturnsTheFirstReply_AndMovesNothing()
    {
        var account = await trading.Account(1_000m);
        var id = RequestId();
        var first = await account.Deposit(id, 100m);
        for (var i = 0; i < 130; i++)
        {
            Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
        }

        var repeat = await account.Deposit(id, 100m);

        Assert.Equal((first.Result, first.WalletBalance), (repeat.Result, repeat.WalletBalance));
        Assert.Equal(1_230m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task ARequestIdReusedForAnotherCommand_IsRefusedNamingTheId_InTheWindowAndBeyondIt()
    {
        var account = await trading.Account(1_000m);
        var (withdrawal, deposit) = (RequestId(), RequestId());
        Assert.True((await account.Withdraw(withdrawal, 10m)).Result.IsOk);
        Assert.True((await account.Deposit(deposit, 1m)).Result.IsOk);

        var asLeverage = await account.SetLeverage(withdrawal, "BTC-USDT", 5);
        Assert.Equal((Rejection.RequestIdReused, $"request id {withdrawal} was already used for another command (Withdraw): use a new id"),
            (asLeverage.Result.Reason, asLeverage.Result.Detail));

        for (var i = 0; i < 130; i++)
        {
            await account.Deposit(RequestId(), 1m);
        }

        var biggerDeposit = await account.Deposit(deposit, 5_000m);
        Assert.Equal((Rejection.RequestIdReused, $"request id {deposit} was already used for another command (Deposit): use a new id"),
            (biggerDeposit.Result.Reason, biggerDeposit.Result.Detail));
        Assert.Equal(1_121m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    /// <summary>A request checked against the account keeps its id and its answer, refused or not.</summary>
    [Fact]
    public async Task ARefusalCheckedAgainstTheAccount_KeepsItsIdAndItsAnswer()
    {
        var account = await trading.Account(1_000m);
        var id = RequestId();
        var refused = await account.Withdraw(id, 900_000_000m);
        Assert.Equal((Rejection.InsufficientBalance, "amount 900000000 exceeds the max withdrawal 1000"), (refused.Result.Reason, refused.Result.Detail));

        var repeat = await account.Withdraw(id, 900_000_000m);
        Assert.Equal((refused.Result, refused.WalletBalance), (repeat.Result, repeat.WalletBalance));
        var other = await account.Withdraw(id, 1m);
        Assert.Equal((Rejection.RequestIdReused, $"request id {id} was already used for another command (Withdraw): use a new id"),
            (other.Result.Reason, other.Result.Detail));

        Assert.Equal(1_000m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    /// <summary>A malformed request never reached the account: fixed, it may go again under the same id.</summary>
    [Fact]
    public async Task AMalformedRequest_KeepsNoId_AndMayBeSentAgainFixed()
    {
        var account = await trading.Account(1_000m);
        var id = RequestId();
        Assert.Equal(Rejection.AmountNotPositive, (await account.Withdraw(id, 0m)).Result.Reason);

        var fixedUp = await account.Withdraw(id, 1m);

        Assert.True(fixedUp.Result.IsOk, fixedUp.Result.Detail);
        Assert.Equal(999m, (await account.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    /// <summary>A cross command refused by the account's figures keeps its id too (they were not kept before).</summary>
    [Fact]
    public async Task ACrossOpenRefusedForBalance_KeepsItsIdAndItsAnswer()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(1_000m);
        await Mode(account, symbol, MarginMode.Cross);
        var id = RequestId();
        var refused = await account.OpenPosition(id, new OpenOrder(symbol, PositionSide.Long, 1m, 10, null));
        Assert.Equal(Rejection.InsufficientBalance, refused.Result.Reason);
        Assert.True((await account.Deposit(RequestId(), 10_000m)).Result.IsOk);

        var repeat = await account.OpenPosition(id, new OpenOrder(symbol, PositionSide.Long, 1m, 10, null));

        Assert.Equal(refused.Result, repeat.Result);
        Assert.Null(await account.GetPosition(symbol));
        await trading.AssertConserved();
    }

    /// <summary>The fingerprint leaves out the parameter named requestId wherever it stands, and keeps every other argument.</summary>
    [Fact]
    public void TheFingerprint_LeavesOutOnlyTheRequestIdParameter()
    {
        var deposit = typeof(IAccountGrain).GetMethod(nameof(IAccountGrain.Deposit))!;
        Assert.Equal("Deposit[5]", RequestFingerprint.Of(deposit, i => new object?[] { "id-1", 5m }[i]));
        Assert.Equal(RequestFingerprint.Of(deposit, i => new object?[] { "id-1", 5m }[i]), RequestFingerprint.Of(deposit, i => new object?[] { "id-2", 5m }[i]));

        // The close an order starts takes the symbol first: the symbol must count.
        var closeBy = typeof(IAccountGrain).GetMethod(nameof(IAccountGrain.CloseBy))!;
        Assert.Equal("CloseBy[\"BTC-USDT\",2,7]", RequestFingerprint.Of(closeBy, i => new object?[] { "BTC-USDT", TriggerKind.TakeProfit, 7L }[i]));
        Assert.NotEqual(RequestFingerprint.Of(closeBy, i => new object?[] { "BTC-USDT", TriggerKind.TakeProfit, 7L }[i]),
            RequestFingerprint.Of(closeBy, i => new object?[] { "ETH-USDT", TriggerKind.TakeProfit, 7L }[i]));
    }
}
