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
/// cascade's worth would pass the 1 MB of the state row), one per write, tagged with the write that
/// stored it: only rows of writes whose state landed count as applied, after a restart as before it.
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
            var (rows, commit) = (await Stored(prefix, fund), (await Load(prefix, fund)).Commit);
            Assert.Equal(ids.Order(), rows.SelectMany(r => r.Transfers.Keys).Order());
            Assert.True(rows.Count <= commit && commit < 250, $"{rows.Count} rows for {commit} writes: a row per write, not per transfer");

            // The first hundred senders confirm; the fund rewrites their rows as it deactivates.
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
            Assert.Equal(ids[100..].Order(), (await Stored(prefix, fund)).SelectMany(r => r.Transfers.Keys).Order());

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
            && (await trading.Fund(symbol)).Received == 0m && await Ids(fixture.TablePrefix, symbol, owner) == 0, "the fund reloaded without the transfer, its row deleted");
        Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);

        fixture.Clock.Advance(TimeSpan.FromSeconds(10)); // the position's outbox timer re-sends the report
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the re-sent liquidation journaled");

        Assert.Equal((50m, 50m), ((await trading.Fund(symbol)).Received, (await trading.Fund(symbol)).Balance));
        Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        await trading.AssertConserved();

        // The account confirmed: the transfer leaves its row with the fund's next write.
        Assert.Equal(1, await Ids(fixture.TablePrefix, symbol, owner));
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 1m)).IsOk);
        Assert.Equal(0, await Ids(fixture.TablePrefix, symbol, owner));
    }

    /// <summary>
    /// A write of 120 rows stores 21 of them first, then its state with the other 99 in one batch; if
    /// that batch never lands, the 21 rows hold no applied transfer: the next load leaves them out and
    /// deletes them. A row that only lost ids goes alongside, landed or not.
    /// </summary>
    [Fact]
    public async Task RowsOfAWriteWhoseStateNeverLanded_AreNotApplied_AndAreDeletedAtTheNextLoad()
    {
        var fund = "fund-" + Guid.NewGuid().ToString("N")[..8];
        var rows = Rows(fixture.TablePrefix);
        var state = new InsuranceFundState { Balance = 6m, Received = 6m, Commit = 1 };
        var etag = await rows.Write(fund, rows.Serialized(state), 1, null, [new AppliedRow(AppliedTransfers.RowKey(1, 0), 1, new() { ["first"] = 5m, ["confirmed"] = 1m })], () => { });

        List<AppliedRow> many = [.. Enumerable.Range(0, 120).Select(i => new AppliedRow(AppliedTransfers.RowKey(2, i), 2, new() { [$"acc-{i:D3}#1"] = 1m, [$"acc-{i:D3}#2"] = 1m }))];
        var later = new InsuranceFundState { Balance = 246m, Received = 246m, Commit = 2 };
        await Assert.ThrowsAsync<InjectedFault>(() => rows.Write(fund, rows.Serialized(later), 2, etag,
            [.. many, new AppliedRow(AppliedTransfers.RowKey(1, 0), 1, new() { ["first"] = 5m })], () => throw new InjectedFault("the silo died")));
        Assert.Equal(22, (await Stored(fixture.TablePrefix, fund)).Count);

        var (loaded, _, applied) = await rows.Load(fund, new InsuranceFundState());
        Assert.Equal((6m, 1L), (loaded.Balance, loaded.Commit));
        Assert.Equal([(AppliedTransfers.RowKey(1, 0), 1L, "first", 5m)], applied.Select(r => (r.Key, r.Commit, r.Transfers.Single().Key, r.Transfers.Single().Value)));
        Assert.Single(await Stored(fixture.TablePrefix, fund));
    }

    /// <summary>A row stored before rows held a write's transfers holds one, keyed by its id: applied as it loads, deleted once confirmed.</summary>
    [Fact]
    public async Task ARowOfOneTransferStoredBefore_IsApplied_AndDeletedOnceConfirmed()
    {
        var fund = "fund-" + Guid.NewGuid().ToString("N")[..8];
        var rows = Rows(fixture.TablePrefix);
        await rows.Write(fund, rows.Serialized(new InsuranceFundState { Balance = 7m, Received = 7m, Commit = 1 }), 1, null, [], () => { });
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(fixture.TablePrefix + Tables.Funds);
        await table.AddEntityAsync(new TableEntity(FundRows.Key(fund), FundRows.Key("acc-1/BTC-USDT#3")) { ["Id"] = "acc-1/BTC-USDT#3", ["Amount"] = "7", ["Commit"] = 1L });

        var applied = new AppliedTransfers((await rows.Load(fund, new InsuranceFundState())).Applied);
        Assert.Equal(new Dictionary<string, decimal> { ["acc-1/BTC-USDT#3"] = 7m }, applied.All);

        applied.Forget("acc-1/BTC-USDT#3");
        await rows.Tidy(fund, applied.Shrunk());
        Assert.Empty(await Stored(fixture.TablePrefix, fund));
    }

    private FundRows Rows(string prefix) =>
        new(Tables.Azure(new TableServiceClient(Azurite.ConnectionString), prefix), fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>());

    private async Task<InsuranceFundState> Load(string prefix, string fund) => (await Rows(prefix).Load(fund, new InsuranceFundState())).State;

    /// <summary>The fund's rows of applied transfers as storage holds them, whatever write they come from.</summary>
    private async Task<List<AppliedRow>> Stored(string prefix, string fund)
    {
        var (rows, read) = (new List<AppliedRow>(), Rows(prefix));
        await foreach (var row in new TableServiceClient(Azurite.ConnectionString).GetTableClient(prefix + Tables.Funds)
            .QueryAsync<TableEntity>(r => r.PartitionKey == FundRows.Key(fund)))
        {
            if (row.RowKey != FundRows.StateKey)
            {
                rows.Add(read.Read(row));
            }
        }

        return rows;
    }

    /// <summary>Ids of transfers the fund's rows hold that start with <paramref name="sender"/> (a liquidation's starts with its account).</summary>
    private async Task<int> Ids(string prefix, string fund, string sender) =>
        (await Stored(prefix, fund)).SelectMany(r => r.Transfers.Keys).Count(id => id.StartsWith(sender, StringComparison.Ordinal));
}
