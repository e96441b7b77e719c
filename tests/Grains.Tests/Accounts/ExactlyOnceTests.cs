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
}
