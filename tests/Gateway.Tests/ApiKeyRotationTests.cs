using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>Issue 9: an operator rotates a lost key (or one whose CreateAccount reply was lost) and reads any account.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiKeyRotationTests(GatewayFixture gateway)
{
    [Fact]
    public async Task ARotatedKey_StopsWorking_TheNewOneSpeaksForTheSameAccount()
    {
        var (oldKey, accountId) = await gateway.Trader("250");
        var rotated = await gateway.Operations.RotateApiKeyAsync(new RotateApiKeyRequest { AccountId = accountId }, Bearer(gateway.OperatorKey));
        Assert.Equal(accountId, rotated.AccountId);
        Assert.NotEqual(oldKey, rotated.ApiKey);

        // A gateway that had not cached the old key (every gateway, 30 s after the rotation).
        var (app, channel) = await gateway.Gateway([]);
        await using var _ = app;
        using var __ = channel;
        var accounts = new Api.V1.Accounts.AccountsClient(channel);
        var refused = await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), Bearer(oldKey)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(("250", accountId), ((await accounts.GetAccountAsync(new GetAccountRequest(), Bearer(rotated.ApiKey))).WalletBalance, accountId));

        var seen = await gateway.Operations.GetAccountAsync(new OperatorAccountRequest { AccountId = accountId }, Bearer(gateway.OperatorKey));
        Assert.Equal((accountId, "250"), (seen.AccountId, seen.WalletBalance));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => gateway.Operations.RotateApiKeyAsync(new RotateApiKeyRequest { AccountId = "acc-nobody" }, Bearer(gateway.OperatorKey)).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "AccountUnknown: unknown account acc-nobody"), (unknown.StatusCode, unknown.Status.Detail));
    }
}
