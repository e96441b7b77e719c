using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Positions;
using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// An isolated position's funding payment is journaled with its account's next write: the position's
/// row holds the payment until the account acknowledges it, and sends it again after its outbox
/// retry, which has the account write it; a silo that dies first loses nothing — the next activation
/// of the position reports it again, journaled once (against Azurite, reading the journal rows themselves).
/// Mark 20,000 over index 19,980 for one interval: a long pays 10.02 per BTC (docs/margin-math.md), 1.002 for 0.1.
/// </summary>
public sealed class FundingWriteBehindTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task APayment_IsJournaledWithTheAccountsNextWrite_OrWhenItsPositionSendsItAgain()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        await ClusterFixture.Run(prefix, async grains =>
        {
            var (trading, account, symbol) = await PaymentSettled(grains);
            Assert.Empty(await StoredFunding(prefix, account.GetPrimaryKeyString()));

            var acknowledged = EngineActivity.Of(grains).Answered(PositionKey.Of(account.GetPrimaryKeyString(), symbol), nameof(IIsolatedPositionGrain.AcknowledgeEvents));
            TestClock.Of(grains).Advance(OutboxRetry.After);
            await Within(acknowledged, "the payment sent again, written and acknowledged");
            Assert.Equal([-1.002m], await StoredFunding(prefix, account.GetPrimaryKeyString()));
            await trading.Quiet();
            await trading.AssertConserved();
        });
    }

    [Fact]
    public async Task APaymentNoRowHolds_SurvivesItsSiloDying_JournaledOnce()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix);
        string accountId, symbol;
        try
        {
            (_, var account, symbol) = await PaymentSettled(cluster.GrainFactory);
            accountId = account.GetPrimaryKeyString();
            Assert.Empty(await StoredFunding(prefix, accountId));
        }
        finally
        {
            await cluster.KillSiloAsync(cluster.Primary!);
            await cluster.DisposeAsync();
        }

        Assert.Empty(await StoredFunding(prefix, accountId));
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(accountId);
            Assert.Equal(0.1m, (await account.GetPosition(symbol))!.Quantity); // the position activates and reports again
            await trading.Quiet();
            Assert.Equal([-1.002m], (await account.GetJournal(1, 100)).Where(e => e.Kind == JournalKind.Funding).Select(e => e.RealizedPnl));
            Assert.Equal([-1.002m], await StoredFunding(prefix, accountId));
            await trading.AssertConserved();
        });
    }

    /// <summary>A long of 0.1 BTC, a funding time passed, and a command that settles its payment.</summary>
    private static async Task<(Trading Trading, IAccountGrain Account, string Symbol)> PaymentSettled(IGrainFactory grains)
    {
        var (trading, clock, symbol) = (new Trading(grains), TestClock.Of(grains), NewSymbol());
        var market = grains.GetGrain<IMarketGrain>(symbol);
        Assert.True((await market.Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, Funding: new FundingSpec((int)Interval.TotalSeconds)))).IsOk);
        clock.AdvanceToNext(Interval);
        Assert.True((await market.PublishPrice(19_980m, 20_000m)).Result.IsOk);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 0.1m, 10);
        clock.AdvanceToNext(Interval);
        Assert.True((await market.PublishPrice(20_000m, 20_000m)).Result.IsOk);
        Assert.True((await account.AddMargin(RequestId(), symbol, 10m)).Result.IsOk);
        await trading.Quiet();
        return (trading, account, symbol);
    }

    /// <summary>The funding rows stored in the account's journal partition: their realized PnL.</summary>
    private static async Task<List<decimal>> StoredFunding(string prefix, string key)
    {
        var rows = new List<decimal>();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + "journal");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == key))
        {
            if (!row.RowKey.StartsWith('!') && row.GetInt32("Kind") == (int)JournalKind.Funding)
            {
                rows.Add(decimal.Parse(row.GetString("RealizedPnl"), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return rows;
    }
}
