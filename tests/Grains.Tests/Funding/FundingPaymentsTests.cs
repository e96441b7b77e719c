using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Funding;

/// <summary>
/// The account's funding history: its journal's funding rows across every symbol, paged and from a
/// time. Markets here pay every minute of <see cref="TestClock"/>: 10.02 per BTC for an interval with
/// mark 20,000 over index 19,980, then 2 once they agree.
/// </summary>
[Collection(FundingCollection.Name)]
public sealed class FundingPaymentsTests(FundingCluster cluster)
{
    private readonly Trading trading = new(cluster.Grains);

    /// <summary>
    /// A cross long on one symbol and an isolated short on another, 1 BTC each at 20,000: two funding
    /// times make four rows among the deposit's, the mode's and the opens'; pages of 3 read exactly
    /// them, and from the second funding time only its two.
    /// </summary>
    [Fact]
    public async Task EverySymbolsFunding_PagedAndFromATime_AndNoOtherRow()
    {
        var (first, second) = (await cluster.Market(19_980m, 20_000m), await cluster.Market(19_980m, 20_000m));
        await cluster.Price(first, 19_980m, 20_000m);
        var account = await trading.Account(10_000m);
        await Mode(account, first, MarginMode.Cross);
        await Open(account, first, PositionSide.Long, 1m, 10);
        await Open(account, second, PositionSide.Short, 1m, 10);

        var start = cluster.Clock.GetUtcNow();
        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        await Pay(account, first, second, rows: 2);
        cluster.Clock.AdvanceToNext(FundingCluster.Interval);
        var secondTime = cluster.Clock.GetUtcNow();
        await Pay(account, first, second, rows: 4);

        var page = await account.ListFundingPayments(start, 1, 3);
        Assert.Equal(3, page.Count);
        var rest = await account.ListFundingPayments(start, page[^1].Sequence + 1, 3);
        Assert.Equal(
            new[] { (first, -10.02m, -10.02m), (first, -2m, -2m), (second, 2m, 0m), (second, 10.02m, 0m) }.Order(),
            page.Concat(rest).Select(e => (e.Symbol, e.RealizedPnl, e.WalletDelta)).Order());
        Assert.All(page.Concat(rest), e => Assert.Equal((JournalKind.Funding, 1m, 20_000m), (e.Kind, e.Quantity, e.Price)));

        var later = await account.ListFundingPayments(secondTime, 1, 100);
        Assert.Equal(new[] { (first, -2m), (second, 2m) }.Order(), later.Select(e => (e.Symbol, e.RealizedPnl)).Order());
        Assert.Empty(await account.ListFundingPayments(secondTime.AddSeconds(1), 1, 100));
        Assert.True((await account.GetJournal(1, 100)).Count > 4 + 3);
    }

    /// <summary>Marks both markets at 20,000 and settles (the audit settles isolated funding) until the journal holds <paramref name="rows"/> funding rows.</summary>
    private async Task Pay(IAccountGrain account, string first, string second, int rows)
    {
        await cluster.Price(first, 20_000m, 20_000m);
        await cluster.Price(second, 20_000m, 20_000m);
        await trading.AssertConserved();
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Count(e => e.Kind == JournalKind.Funding) == rows, $"{rows} funding rows");
    }
}
