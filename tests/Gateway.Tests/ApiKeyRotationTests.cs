using MarginOrleans.Operations;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>An operator rotates a lost key (or one whose CreateAccount reply was lost) and reads any account.</summary>
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

    /// <summary>
    /// A trader's key names its account, whose state holds its hash: a forged secret for a real account,
    /// or a key naming no account, is refused alike; a key found by its hash (made before keys named
    /// accounts) still speaks for its account.
    /// </summary>
    [Fact]
    public async Task AKeyNamesItsAccount_AForgedOneIsRefused_AndAKeyFoundByItsHashStillWorks()
    {
        var (key, accountId) = await gateway.Trader("250");
        Assert.Equal(accountId, ApiKeys.AccountOf(key));
        Assert.Equal("250", (await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(key))).WalletBalance);

        foreach (var forged in new[] { ApiKeys.NewKey(accountId), ApiKeys.NewKey("acc-nobody-" + RequestId()[..8]), $"mka.{accountId}." })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(forged)).ResponseAsync);
            Assert.Equal((StatusCode.Unauthenticated, "unknown API key"), (refused.StatusCode, refused.Status.Detail));
        }

        var before = ApiKeys.NewKey();
        await gateway.Grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(before)).Assign(new Principal(Role.Trader, accountId));
        Assert.Null(ApiKeys.AccountOf(before));
        Assert.Equal("250", (await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(before))).WalletBalance);
    }

    /// <summary>Before, a stream opened with a key kept running after the key was revoked; now it ends once the gateway's cache lets the key go.</summary>
    [Fact]
    public async Task ARevokedKey_EndsItsOpenEventStream()
    {
        var (oldKey, accountId) = await gateway.Trader("100");
        var (app, channel) = await gateway.Gateway(new() { ["Gateway:ApiKeyCache:Seconds"] = "1" });
        await using var _ = app;
        using var __ = channel;
        using var stream = new Api.V1.Accounts.AccountsClient(channel).StreamAccountEvents(new StreamAccountEventsRequest { FromSequence = 1 }, Bearer(oldKey));
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None)); // the open stream serves the journal

        await gateway.Operations.RotateApiKeyAsync(new RotateApiKeyRequest { AccountId = accountId }, Bearer(gateway.OperatorKey));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.ResponseStream.MoveNext(deadline.Token))
            {
            }
        });
        Assert.Equal((StatusCode.Unauthenticated, "unknown API key"), (ended.StatusCode, ended.Status.Detail));
    }

    [Theory]
    [InlineData("ipv4:10.0.0.7:50123", "ipv4:10.0.0.7")]
    [InlineData("ipv6:[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443", "ipv6:2001:db8:1:2::/64")]
    [InlineData("ipv6:[2001:db8:1:2::9]:8080", "ipv6:2001:db8:1:2::/64")] // the same subscriber's other address: one bucket
    [InlineData("ipv6:[::1]:5080", "ipv6:::/64")]
    [InlineData("ipv6:[::ffff:10.0.0.7]:443", "ipv4:10.0.0.7")]          // an IPv4 peer in IPv6 clothes: the IPv4 peer
    [InlineData("unix:/tmp/socket", "unix:/tmp/socket")]
    public void Peers_AreLimitedPerAddress_AnIPv6OnePerSlash64(string peer, string partition) => Assert.Equal(partition, Callers.PeerOf(peer));
}
