using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class RateLimitTests(GatewayFixture gateway)
{
    [Fact]
    public async Task AKeyBeyondItsBucket_GetsResourceExhausted_AndOtherKeysAreServed()
    {
        var (app, channel) = await gateway.Gateway(new()
        {
            ["Gateway:RateLimit:PermitsPerSecond"] = "1",
            ["Gateway:RateLimit:Burst"] = "3",
        });
        await using var _ = app;
        using var __ = channel;
        var (trader, _) = await gateway.Trader("100");
        var accounts = new Api.V1.Accounts.AccountsClient(channel);

        for (var i = 0; i < 3; i++)
        {
            await accounts.GetAccountAsync(new GetAccountRequest(), Bearer(trader));
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), Bearer(trader)).ResponseAsync);
        Assert.Equal((StatusCode.ResourceExhausted, "rate limit: 1 requests per second per API key (bursts of 3)"), (limited.StatusCode, limited.Status.Detail));
        var operations = new Api.V1.Operations.OperationsClient(channel);
        Assert.True((await operations.AuditAsync(new AuditRequest(), Bearer(gateway.OperatorKey))).Balanced);
    }
}
