using MarginOrleans.Tests.Support;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Through the gateway: the account's funding history (every symbol, paged by token, from a time) and
/// what a position cost since it opened. The market pays funding every second of the engine clock
/// the test advances, at F = 0.01% with mark and index equal: 2 per BTC at 20,000.
/// </summary>
[Collection(EngineClockGatewayCollection.Name)]
public sealed class FundingHistoryTests(EngineClockGateway gateway)
{
    [Fact]
    public async Task TheAccountsFunding_PagesByToken_FromATime_AndSumsToWhatThePositionShows()
    {
        var symbol = "H" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000", fundingIntervalSeconds: 1);
        var (key, _) = await gateway.Trader("10000");
        var auth = Bearer(key);
        await gateway.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = symbol, MarginMode = MarginMode.Cross }, auth);

        // Fee 10 to open: break-even 20,010 / 0.9995 before any funding.
        var opened = await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, auth);
        Assert.Equal(("10", "0", "20020.010005"), (opened.Position.FeesSinceOpen, opened.Position.FundingSinceOpen, opened.Position.BreakEvenPrice));

        // Each mark published after a funding time passed settles it: two funding times, two payments.
        async Task<ListFundingPaymentsReply> All() =>
            await gateway.Accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { PageSize = 500 }, auth);
        var trading = new Trading(gateway.Grains);
        for (var i = 0; i < 2; i++)
        {
            TestClock.Of(gateway.Grains).Advance(TimeSpan.FromSeconds(1));
            await gateway.Price("20000", symbol);
            await trading.Quiet();
        }

        Assert.Equal(2, (await All()).Payments.Count);

        var position = await gateway.Positions.GetPositionAsync(new GetPositionRequest { Symbol = symbol }, auth);
        var all = (await All()).Payments;
        Assert.All(all, p => Assert.Equal(("Funding", symbol, "1", "20000", PositionSide.Both), (p.Kind, p.Symbol, p.Quantity, p.Price, p.PositionSide)));
        Assert.All(all, p => Assert.True(decimal.Parse(p.RealizedPnl) < 0m && decimal.Parse(p.RealizedPnl) % 2m == 0m, p.RealizedPnl));
        Assert.Equal(decimal.Parse(position.FundingSinceOpen), all.Sum(p => decimal.Parse(p.RealizedPnl)));
        Assert.Equal(decimal.Parse(position.BreakEvenPrice), Math.Round((20_000m + 10m - decimal.Parse(position.FundingSinceOpen)) / 0.9995m, 8));

        var first = await gateway.Accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { PageSize = 1 }, auth);
        Assert.Equal((all[0].Sequence, (all[0].Sequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), (Assert.Single(first.Payments).Sequence, first.NextPageToken));
        var second = await gateway.Accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { PageSize = 1, PageToken = first.NextPageToken }, auth);
        Assert.Equal(all[1].Sequence, Assert.Single(second.Payments).Sequence);
        var last = await gateway.Accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { PageSize = 500, PageToken = first.NextPageToken }, auth);
        Assert.Equal((all.Count - 1, ""), (last.Payments.Count, last.NextPageToken));

        var later = await gateway.Accounts.ListFundingPaymentsAsync(new ListFundingPaymentsRequest { FromTime = all[1].Time }, auth);
        Assert.Equal(all.Skip(1).Select(p => p.Sequence), later.Payments.Select(p => p.Sequence));
        await gateway.AssertBalanced();
    }

    [Theory]
    [InlineData("yesterday", "", 0, "from_time: 'yesterday' is not an RFC 3339 time")]
    [InlineData("2026-12-03", "", 0, "from_time: '2026-12-03' is not an RFC 3339 time")]
    [InlineData("2026-13-03T00:00:00Z", "", 0, "from_time: '2026-13-03T00:00:00Z' is not an RFC 3339 time")]
    [InlineData("", "abc", 0, "page_token: must be empty or the next_page_token of the page before")]
    [InlineData("", "-1", 0, "page_token: must be empty or the next_page_token of the page before")]
    [InlineData("", "", 501, "page_size: must be 0 to 500")]
    [InlineData("", "", -1, "page_size: must be 0 to 500")]
    public async Task ABadPageOrTime_IsInvalidArgument_NamingTheField(string from, string token, int size, string message)
    {
        var (key, _) = await gateway.Trader("10");
        var e = await Assert.ThrowsAsync<RpcException>(() => gateway.Accounts.ListFundingPaymentsAsync(
            new ListFundingPaymentsRequest { FromTime = from, PageToken = token, PageSize = size }, Bearer(key)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(message, e.Status.Detail);
    }
}
