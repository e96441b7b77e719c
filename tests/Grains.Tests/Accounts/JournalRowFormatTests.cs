using Azure.Data.Tables;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// Journal rows stored before each kind's details had columns of their own (no <c>Format</c>
/// column: a setting in <c>Quantity</c>, a fund in <c>Symbol</c>) read in the typed shape, and
/// rows written now keep each detail in its own column.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JournalRowFormatTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task RowsInTheOriginalFormat_ReadWithEachDetailInItsOwnField()
    {
        var accountId = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var table = await JournalTable();
        string[] rows =
        [
            // kind (1 Deposit, 10 Liquidation, 11 LeverageSet, 12 MarginModeSet, 13 RiskPolicySet), symbol,
            // quantity, price, wallet delta, realized: as the account wrote them before.
            "1||0|0|10000|0",
            "11|BTC-USDT|20|0|0|0",
            "12|BTC-USDT|2|0|0|0",
            "13||50|0|0|0",
            "11|ETH-USDT|5|0|-2000|0",
            "10|BTC-USDT|1|662.1|-1000|-1000",
            "10|USDT|0|0|-106|0",
        ];
        var sequence = 0L;
        foreach (var row in rows.Select(r => r.Split('|')))
        {
            await table.AddEntityAsync(OriginalRow(accountId, ++sequence, int.Parse(row[0]), row[1], row[2], row[3], row[4], row[5]));
        }

        var journal = await fixture.Grains.GetGrain<IAccountGrain>(accountId).GetJournal(1, 100);

        Assert.Equal(
            [
                (JournalKind.Deposit, "", 0m, 0m, 10_000m, (int?)null, (MarginMode?)null, (int?)null, (string?)null),
                (JournalKind.LeverageSet, "BTC-USDT", 0m, 0m, 0m, 20, null, null, null),
                (JournalKind.MarginModeSet, "BTC-USDT", 0m, 0m, 0m, null, MarginMode.Cross, null, null),
                (JournalKind.RiskPolicySet, "", 0m, 0m, 0m, null, null, 50, null),
                (JournalKind.LeverageSet, "ETH-USDT", 0m, 0m, -2_000m, 5, null, null, null),
                (JournalKind.Liquidation, "BTC-USDT", 1m, 662.1m, -1_000m, null, null, null, null),
                (JournalKind.Liquidation, "", 0m, 0m, -106m, null, null, null, "USDT"),
            ],
            journal.Select(e => (e.Kind, e.Symbol, e.Quantity, e.Price, e.WalletDelta, e.Leverage, e.MarginMode, e.LeverageCap, e.Fund)));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), journal.Select(e => e.Sequence));
    }

    [Fact]
    public async Task AnEntryInTheOriginalShape_KeptInStateByAnOlderBuild_IsWrittenTyped_InItsOwnColumns()
    {
        var accountId = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var store = new JournalStore(Tables.Azure(new TableServiceClient(Azurite.ConnectionString), fixture.TablePrefix),
            fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>());

        // Read back from an older state, the entry has no typed fields: its leverage is in the quantity.
        await store.Write(accountId, [new JournalEntry(1, At, JournalKind.LeverageSet, "BTC-USDT", 20m, 0m, 0m, 0m, 0m, 9_000m, "r-1")], []);

        var read = Assert.Single(await store.Read(accountId, 1, 10));
        Assert.Equal((0m, 20), (read.Quantity, read.Leverage));
        var row = await (await JournalTable()).GetEntityAsync<TableEntity>(accountId, JournalRow.Key(1));
        Assert.Equal((2, 20, "0"), (row.Value.GetInt32("Format"), row.Value.GetInt32("Leverage"), row.Value.GetString("Quantity")));
        Assert.False(row.Value.ContainsKey("MarginMode") || row.Value.ContainsKey("LeverageCap") || row.Value.ContainsKey("Fund"));
    }

    private async Task<TableClient> JournalTable()
    {
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(fixture.TablePrefix + Tables.Journal);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>Exactly the columns a journal row had before the typed details: no Format, no detail columns.</summary>
    private static TableEntity OriginalRow(string accountId, long sequence, int kind, string symbol, string quantity, string price, string walletDelta, string realized) =>
        new(accountId, sequence.ToString("D19", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Time"] = At,
            ["Kind"] = kind,
            ["Symbol"] = symbol,
            ["Quantity"] = quantity,
            ["Price"] = price,
            ["WalletDelta"] = walletDelta,
            ["RealizedPnl"] = realized,
            ["Fee"] = "0",
            ["WalletBalance"] = "0",
            ["RequestId"] = "",
        };
}
