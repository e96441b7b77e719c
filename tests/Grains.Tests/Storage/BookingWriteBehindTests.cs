using Azure.Data.Tables;
using MarginOrleans.Accounts;
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
