using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using Orleans.Runtime;
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

    /// <summary>
    /// The operator's key has a bucket of its own size: by default the per-key one, raised by
    /// Gateway:RateLimit:OperatorPermitsPerSecond and :OperatorBurst (an operator's script, a fuzz
    /// run) without raising any trader's.
    /// </summary>
    [Theory]
    [InlineData(null, 3)]
    [InlineData("20", 20)]
    public async Task TheOperatorsBucket_IsThePerKeyOne_UnlessRaisedOnItsOwn(string? operatorBurst, int served)
    {
        var (trader, accountId) = await gateway.Trader("100");
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimit:PermitsPerSecond"] = "1", ["Gateway:RateLimit:Burst"] = "3" };
        if (operatorBurst is not null)
        {
            (settings["Gateway:RateLimit:OperatorPermitsPerSecond"], settings["Gateway:RateLimit:OperatorBurst"]) = ("1", operatorBurst);
        }

        var (app, channel) = await gateway.Gateway(settings);
        await using var _ = app;
        using var __ = channel;
        var operations = new Api.V1.Operations.OperationsClient(channel);
        var account = new OperatorAccountRequest { AccountId = accountId };

        for (var i = 0; i < served; i++)
        {
            await operations.GetAccountAsync(account, Bearer(gateway.OperatorKey));
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => operations.GetAccountAsync(account, Bearer(gateway.OperatorKey)).ResponseAsync);
        Assert.Equal((StatusCode.ResourceExhausted, operatorBurst is null
                ? "rate limit: 1 requests per second per API key (bursts of 3)"
                : "rate limit: 1 requests per second for the operator's key (bursts of 20)"),
            (limited.StatusCode, limited.Status.Detail));

        // A trader's bucket stays the per-key one.
        var accounts = new Api.V1.Accounts.AccountsClient(channel);
        for (var i = 0; i < 3; i++)
        {
            await accounts.GetAccountAsync(new GetAccountRequest(), Bearer(trader));
        }

        Assert.Equal(StatusCode.ResourceExhausted, (await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), Bearer(trader)).ResponseAsync)).StatusCode);
    }

    [Theory]
    [InlineData("Gateway:RateLimit:OperatorPermitsPerSecond", "0")]
    [InlineData("Gateway:RateLimit:OperatorBurst", "-1")]
    public async Task AnOperatorLimitBelowOne_FailsAtStart(string setting, string value)
    {
        var e = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => gateway.Gateway(new() { [setting] = value }));
        Assert.Equal("Gateway:RateLimit:OperatorPermitsPerSecond and :OperatorBurst must be above 0 when set", e.Message);
    }

    /// <summary>Calls no API key pays for draw from a bucket per peer address.</summary>
    [Fact]
    public async Task AnonymousCallsBeyondTheirPeersBucket_GetResourceExhausted()
    {
        var (app, channel) = await gateway.Gateway(new()
        {
            ["Gateway:RateLimit:PermitsPerSecond"] = "1",
            ["Gateway:RateLimit:Burst"] = "3",
        });
        await using var _ = app;
        using var __ = channel;
        var markets = new Api.V1.Markets.MarketsClient(channel);
        for (var i = 0; i < 3; i++)
        {
            await markets.GetMarketAsync(new GetMarketRequest { Symbol = GatewayFixture.Symbol });
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => markets.GetMarketAsync(new GetMarketRequest { Symbol = GatewayFixture.Symbol }).ResponseAsync);
        Assert.Equal((StatusCode.ResourceExhausted, "rate limit: 1 requests per second per address for calls without an API key (bursts of 3)"), (limited.StatusCode, limited.Status.Detail));

        // Unknown keys are looked up at the peer's expense too: random keys cannot buy unbounded lookups.
        var accounts = new Api.V1.Accounts.AccountsClient(channel);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), Bearer("mk_random-" + RequestId())).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, unknown.StatusCode);
    }

    /// <summary>An unknown API key leaves no grain activation behind (each had cost ~7 KB), nor does a key naming an account that does not exist.</summary>
    [Fact]
    public async Task UnknownApiKeys_LeaveNoActivations()
    {
        var witness = ActivationWitness.Of(gateway.Grains);
        GrainType[] keysAndAccounts = [gateway.Grains.GetGrain<IApiKeyGrain>("any").GetGrainId().Type, gateway.Grains.GetGrain<IAccountGrain>("any").GetGrainId().Type];
        var before = witness.Alive(keysAndAccounts);
        var accounts = gateway.Accounts;

        for (var i = 0; i < 50; i++)
        {
            var key = i % 2 == 0 ? "mk_random-" + RequestId() : Operations.ApiKeys.NewKey("acc-nobody-" + RequestId()[..12]);
            var e = await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest(), Bearer(key)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        }

        // An activation goes when Orleans deactivates it, on real time that no engine call signals: its lifecycle's end is the signal.
        await Trading.Within(witness.AtMost(before, keysAndAccounts), "unknown keys' activations gone", seconds: 10);
    }

    /// <summary>One anonymous StreamMarks request cannot buy unbounded watches: symbols are deduplicated and capped.</summary>
    [Fact]
    public async Task AStreamOfTooManySymbols_IsRefusedBeforeWatchingAnything()
    {
        var request = new StreamMarksRequest();
        request.Symbols.AddRange(Enumerable.Range(0, 65).Select(i => $"S{i}-USDT"));
        using var stream = gateway.Markets.StreamMarks(request);

        var refused = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext());
        Assert.Equal((StatusCode.InvalidArgument, "symbols: at most 64 distinct symbols a stream"), (refused.StatusCode, refused.Status.Detail));
    }
}
