using Azure.Data.Tables;
using MarginOrleans.Operations;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A fund's applied, unconfirmed transfers live in rows of their own (a cascade's worth would pass
/// the 1 MB of the fund's state row), each tagged with the fund write that stored it: only rows of
/// writes whose state landed count as applied, after a restart as before it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AppliedTransferRowsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TwoHundredFiftyAppliedTransfers_OutliveARestartInTheirRows_AndThoseConfirmedAreDeleted()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var fund = "fund-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 250).Select(i => $"acc-{i:D3}/BTC-USDT#{i}").ToList();
        decimal AmountOf(int i) => (i + 1) * 0.01m;

        await ClusterFixture.Run(prefix, async grains =>
        {
            var grain = grains.GetGrain<IInsuranceFundGrain>(fund);
            await Task.WhenAll(ids.Select((id, i) => grain.Apply(id, AmountOf(i), null)));
            Assert.Equal(250, await Rows(prefix));

            // The first hundred senders confirm; the fund deletes their rows as it deactivates.
            foreach (var id in ids[..100])
            {
                await grain.Forget(id);
            }

            await EngineActivity.Of(grains).Quiet; // one-way calls, handled by now
            Assert.Equal(150, (await grain.GetAudit()).Applied.Count);
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var grain = grains.GetGrain<IInsuranceFundGrain>(fund);
            var audit = await grain.GetAudit();
            Assert.Equal(ids[100..].Select((id, i) => (id, AmountOf(i + 100))).ToHashSet(), audit.Applied.Select(a => (a.Key, a.Value)).ToHashSet());
            Assert.Equal(150, await Rows(prefix));

            // Senders that had not heard re-send: nothing moves twice. Σ 0.01 × (1 … 250) = 313.75.
            await Task.WhenAll(ids[100..].Select((id, i) => grain.Apply(id, AmountOf(i + 100), null)));
            Assert.Equal((313.75m, 313.75m), ((await grain.Get()).Received, (await grain.Get()).Balance));
        });
    }

    /// <summary>Long 1 @ 20,000, 10x, liquidated at 18,050: 50 to the fund, whose first write stores the transfer's row but never its state.</summary>
    [Fact]
    public async Task AFundStateWriteThatNeverLanded_LeavesARowThatDoesNotCount_AndTheResentTransferMovesOnce()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        TestFaults.Instance.Arm(FaultPoints.FundRowsWritten, symbol);

        await trading.Price(symbol, 18_050m);
        var owner = account.GetPrimaryKeyString();
        await trading.Settled(async () => !TestFaults.Instance.Armed(FaultPoints.FundRowsWritten, symbol)
            && (await trading.Fund(symbol)).Received == 0m && await Rows(fixture.TablePrefix, owner) == 0, "the fund reloaded without the transfer, its row deleted");
        Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);

        fixture.Clock.Advance(TimeSpan.FromSeconds(10)); // the position's outbox timer re-sends the report
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the re-sent liquidation journaled");

        Assert.Equal((50m, 50m), ((await trading.Fund(symbol)).Received, (await trading.Fund(symbol)).Balance));
        Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        await trading.AssertConserved();

        // The account confirmed: the transfer's row goes with the fund's next write.
        Assert.Equal(1, await Rows(fixture.TablePrefix, owner));
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 1m)).IsOk);
        Assert.Equal(0, await Rows(fixture.TablePrefix, owner));
    }

    /// <summary>Rows of transfers whose ids start with <paramref name="sender"/> (a liquidation's starts with its account), or all.</summary>
    private static async Task<int> Rows(string prefix, string sender = "")
    {
        var count = 0;
        await foreach (var row in new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Transfers).QueryAsync<TableEntity>())
        {
            count += row.GetString("Id").StartsWith(sender, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}
