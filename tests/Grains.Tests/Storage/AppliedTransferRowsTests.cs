using Azure.Data.Tables;
using MarginOrleans.Operations;
using MarginOrleans.Storage;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A fund's applied, unconfirmed transfers live in rows of their own beside its state row (a
/// cascade's worth would pass the 1 MB of the state row), each tagged with the fund write that stored
/// it: only rows of writes whose state landed count as applied, after a restart as before it.
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

    /// <summary>Long 1 @ 20,000, 10x, liquidated at 18,050: 50 to the fund, whose write of it fails (the batch of its state and its row never sent).</summary>
    [Fact]
    public async Task AFundWriteThatNeverLanded_LeavesNoAppliedTransfer_AndTheResentTransferMovesOnce()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        TestFaults.Instance.Arm(FaultPoints.FundBatchUnsent, symbol);

        await trading.Price(symbol, 18_050m);
        var owner = account.GetPrimaryKeyString();
        await trading.Settled(async () => !TestFaults.Instance.Armed(FaultPoints.FundBatchUnsent, symbol)
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

    /// <summary>
    /// A write of 250 transfers stores 151 of their rows first, then its state with the other 99 in one
    /// batch; if that batch never lands, the 151 rows are no applied transfers: the next load leaves
    /// them out and deletes them.
    /// </summary>
    [Fact]
    public async Task RowsOfAWriteWhoseStateNeverLanded_AreNotApplied_AndAreDeletedAtTheNextLoad()
    {
        var fund = "fund-" + Guid.NewGuid().ToString("N")[..8];
        var rows = new FundRows(Tables.Azure(new TableServiceClient(Azurite.ConnectionString), fixture.TablePrefix),
            fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>());
        var state = new InsuranceFundState { Balance = 5m, Received = 5m, Commit = 1 };
        var etag = await rows.Write(fund, rows.Serialized(state), 1, null, new Dictionary<string, decimal> { [$"{fund}/first"] = 5m }, [], () => { });

        var many = Enumerable.Range(0, 250).ToDictionary(i => $"{fund}/acc-{i:D3}#{i}", i => 1m);
        var later = new InsuranceFundState { Balance = 255m, Received = 255m, Commit = 2 };
        await Assert.ThrowsAsync<InjectedFault>(() => rows.Write(fund, rows.Serialized(later), 2, etag, many, [], () => throw new InjectedFault("the silo died")));
        Assert.Equal(151, await Rows(fixture.TablePrefix, $"{fund}/acc-"));

        var (loaded, _, applied) = await rows.Load(fund, new InsuranceFundState());
        Assert.Equal((5m, 1L), (loaded.Balance, loaded.Commit));
        Assert.Equal(new Dictionary<string, decimal> { [$"{fund}/first"] = 5m }, applied);
        Assert.Equal(0, await Rows(fixture.TablePrefix, $"{fund}/acc-"));
    }

    /// <summary>Rows of transfers whose ids start with <paramref name="sender"/> (a liquidation's starts with its account), or all.</summary>
    private static async Task<int> Rows(string prefix, string sender = "")
    {
        var count = 0;
        await foreach (var row in new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Funds).QueryAsync<TableEntity>())
        {
            count += row.RowKey != FundRows.StateKey && row.GetString("Id").StartsWith(sender, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}
