using Azure.Data.Tables;
using MarginOrleans.Accounts;
using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A position command's booking is written with the account's next write: acknowledged before it is
/// stored, it is lost by nothing — a silo that dies re-derives it from the command's intent and the
/// position's outcome, a reader of the journal gets it written first, a stopping silo writes it
/// (against Azurite, reading the journal partition's rows themselves).
/// </summary>
public sealed class BookingWriteBehindTests
{
    private static readonly OpenOrder Order = new("", PositionSide.Long, 1m, 10, null);

    [Fact]
    public async Task AnAcknowledgedOpen_WhoseBookingNoRowHolds_SurvivesItsSiloDying_Booked_Once()
    {
        var (prefix, key, requestId) = (ClusterFixture.NewTablePrefix(), "acc-" + Guid.NewGuid().ToString("N")[..12], RequestId());
        var cluster = await ClusterFixture.Start(prefix);
        string symbol;
        try
        {
            var trading = new Trading(cluster.GrainFactory);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m, key, RequestId());
            var opened = await account.OpenPosition(requestId, Order with { Symbol = symbol });
            Assert.Equal((true, 7_990m), (opened.Result.IsOk, opened.WalletBalance));
            await trading.Quiet();
            Assert.Equal([1L], await StoredJournal(prefix, key)); // the deposit: the open is booked in memory only
        }
        finally
        {
            await cluster.KillSiloAsync(cluster.Primary!);
            await cluster.DisposeAsync();
        }

        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            Assert.Equal(7_990m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
            var replayed = await account.OpenPosition(requestId, Order with { Symbol = symbol });
            Assert.Equal((true, 7_990m, 1m), (replayed.Result.IsOk, replayed.WalletBalance, replayed.Position!.Quantity));
            Assert.Equal([JournalKind.Deposit, JournalKind.PositionOpened], (await account.GetJournal(1, 10)).Select(e => e.Kind));
            Assert.Equal(-2_010m, (await account.GetJournal(2, 1))[0].WalletDelta);
            await new Trading(grains).AssertConserved();
        });
    }

    /// <summary>
    /// A funding payment the command settled first is booked with it: told to a watcher before it is
    /// written, and after the silo dies the journal holds the same rows under the same numbers.
    /// Mark 20,000 over index 19,980 for one interval: a long pays 10.02 per BTC (docs/margin-math.md), 1.002 for 0.1.
    /// </summary>
    [Fact]
    public async Task APaymentACommandSettled_IsBookedWithIt_UnderTheNumbersItsWatcherWasTold_AfterItsSiloDies()
    {
        var (prefix, key) = (ClusterFixture.NewTablePrefix(), "acc-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = await ClusterFixture.Start(prefix);
        string symbol;
        IReadOnlyList<JournalEntry> told;
        try
        {
            var (trading, clock) = (new Trading(cluster.GrainFactory), TestClock.Of(cluster.GrainFactory));
            symbol = NewSymbol();
            var market = cluster.GrainFactory.GetGrain<IMarketGrain>(symbol);
            var interval = TimeSpan.FromMinutes(1);
            Assert.True((await market.Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, Funding: new FundingSpec((int)interval.TotalSeconds)))).IsOk);
            clock.AdvanceToNext(interval);
            Assert.True((await market.PublishPrice(19_980m, 20_000m)).Result.IsOk);
            var account = await trading.Account(10_000m, key, RequestId());
            await Open(account, symbol, PositionSide.Long, 0.1m, 10);
            await trading.Quiet();
            await account.GetJournal(1, 10); // the open written: only the payment and the margin are left unwritten

            clock.AdvanceToNext(interval);
            Assert.True((await market.PublishPrice(20_000m, 20_000m)).Result.IsOk);
            var watcher = new ToldRows(cluster.GrainFactory);
            await cluster.GrainFactory.GetGrain<IAccountFeedGrain>(key).Watch(watcher.Reference);
            Assert.True((await account.AddMargin(RequestId(), symbol, 10m)).Result.IsOk);
            told = await watcher.Rows;
            await trading.Quiet();
            Assert.Equal([(JournalKind.Funding, -1.002m, 0m), (JournalKind.MarginAdded, 0m, -10m)], told.Select(e => (e.Kind, e.RealizedPnl, e.WalletDelta)));
            Assert.Equal([1L, 2L], await StoredJournal(prefix, key));
        }
        finally
        {
            await cluster.KillSiloAsync(cluster.Primary!);
            await cluster.DisposeAsync();
        }

        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = grains.GetGrain<IAccountGrain>(key);
            var journal = await account.GetJournal(1, 100);
            Assert.Equal([1L, 2L, 3L, 4L], journal.Select(e => e.Sequence));
            Assert.Equal(told.Select(e => e with { Time = default }), journal.Skip(2).Select(e => e with { Time = default })); // a replay stamps its own time
            Assert.Equal(200m - 1.002m + 10m, (await account.GetPosition(symbol))!.IsolatedMargin);
            await new Trading(grains).AssertConserved();
        });
    }

    [Fact]
    public async Task ABooking_IsWrittenBeforeAJournalIsRead_AndWhenItsSiloStops()
    {
        var (prefix, key) = (ClusterFixture.NewTablePrefix(), "acc-" + Guid.NewGuid().ToString("N")[..12]);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m, key, RequestId());
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            await trading.Quiet();
            Assert.Equal([1L], await StoredJournal(prefix, key));

            Assert.Equal(2, (await account.GetJournal(1, 10)).Count);
            Assert.Equal([1L, 2L], await StoredJournal(prefix, key));

            Assert.True((await account.AddMargin(RequestId(), symbol, 100m)).Result.IsOk);
            await trading.Quiet();
            Assert.Equal([1L, 2L], await StoredJournal(prefix, key));
        });

        Assert.Equal([1L, 2L, 3L], await StoredJournal(prefix, key)); // written as the silo stopped
    }

    /// <summary>A watcher, as a gateway: the first rows it is told.</summary>
    private sealed class ToldRows : IAccountWatcher
    {
        private readonly TaskCompletionSource<IReadOnlyList<JournalEntry>> first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ToldRows(IGrainFactory grains) => Reference = grains.CreateObjectReference<IAccountWatcher>(this);

        public IAccountWatcher Reference { get; }

        public Task<IReadOnlyList<JournalEntry>> Rows => first.Task;

        public Task Journaled(string accountId, IReadOnlyList<JournalEntry> rows)
        {
            first.TrySetResult(rows);
            return Task.CompletedTask;
        }
    }

    /// <summary>The sequences of the journal rows stored in the account's partition.</summary>
    private static async Task<List<long>> StoredJournal(string prefix, string key)
    {
        var rows = new List<long>();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + "journal");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == key))
        {
            if (!row.RowKey.StartsWith('!'))
            {
                rows.Add(long.Parse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return rows;
    }
}
