using Google.Rpc;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>A request id through the gateway: the same id gets the first reply; the same id with other arguments is AlreadyExists.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RequestIdTests(GatewayFixture gateway)
{
    [Fact]
    public async Task AFundTopUp_RepeatedWithItsId_MovesNothingAgain_AndWithAnotherAmountIsAlreadyExists()
    {
        var symbol = "R" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "1000");
        var op = Bearer(gateway.OperatorKey);
        var id = RequestId();

        var first = await gateway.Operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = id, Symbol = symbol, Amount = "250" }, op);
        var repeat = await gateway.Operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = id, Symbol = symbol, Amount = "250" }, op);
        Assert.Equal(("250", "250"), (first.Balance, repeat.Balance));

        var other = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.TopUpInsuranceFundAsync(
            new TopUpInsuranceFundRequest { RequestId = id, Symbol = symbol, Amount = "300" }, op).ResponseAsync);
        Assert.Equal((StatusCode.AlreadyExists, nameof(Rejection.RequestIdReused)), (other.StatusCode, other.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));
        Assert.Equal("250", (await gateway.Operations.GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = symbol }, op)).Balance);
        await gateway.AssertBalanced();
    }

    [Fact]
    public async Task AWithdrawalRefusedForBalance_KeepsItsId_WhileAMalformedOneDoesNot()
    {
        var (key, _) = await gateway.Trader("1000");
        var auth = Bearer(key);
        var refusedId = RequestId();
        var refused = await Assert.ThrowsAsync<RpcException>(() => gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = refusedId, Amount = "900000000" }, auth).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);

        var reused = await Assert.ThrowsAsync<RpcException>(() => gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = refusedId, Amount = "1" }, auth).ResponseAsync);
        Assert.Equal((StatusCode.AlreadyExists, nameof(Rejection.RequestIdReused)), (reused.StatusCode, reused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));

        var malformedId = RequestId();
        var malformed = await Assert.ThrowsAsync<RpcException>(() => gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = malformedId, Amount = "1.x" }, auth).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        var fixedUp = await gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = malformedId, Amount = "1" }, auth);
        Assert.Equal("999", fixedUp.WalletBalance);
        await gateway.AssertBalanced();
    }
}
