using MarginOrleans.Accounts;
using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using Xunit.Abstractions;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// The table operations each command costs, counted by the silo's own storage counter on a cluster
/// of its own over Azurite: production pays per operation, and an account or partition takes only
/// so many a second. The engine is quiet before each count is taken, so every effect is in it.
/// </summary>
public sealed class OperationsPerCommandTests(ITestOutputHelper output)
{
    private const string GrainRead = "grains point read read";
    private const string GrainWrite = "grains conditional replace write";
    private const string PositionBatch = "positions position batch write";
    private const string AccountRead = "journal account state read read";
    private const string AccountBatch = "journal account batch write";
    private const string TriggerBatch = "triggers trigger batch write";
    private const string FundBatch = "funds fund batch write";
    private const string FundLoad = "funds fund rows load read";

    /// <summary>
    /// A new account's create, made as the gateway makes it (<see cref="AssumedNew"/>: this
    /// installation's grain rows were empty at its first start, so no account's state can lie there),
    /// reads nothing: it inserts its state row (holding its API key's hash: the key names the account)
    /// and its directory row; a command of a young account reads no request row (its window holds every id it
    /// kept) and writes its state, journal rows and request id in one batch; an isolated open of a leg
    /// the account never held writes the account's intent and inserts the position unread, its row
    /// holding its liquidation entry: its booking rides on the account's next batch (the cross open's here).
    /// </summary>
    [Fact]
    public async Task CreateDepositAndOpens_CostExactlyTheseOperations()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var (isolated, cross) = (await trading.Market(20_000m), await trading.Market(2_000m));
            var account = grains.GetGrain<IAccountGrain>("acc-" + Guid.NewGuid().ToString("N")[..12]);
            await trading.Quiet();
            operations.Take();

            await AssertCosts(operations, trading, [AccountBatch, "accounts directory batch write"],
                async () => Assert.True((await AssumedNew.Call(account, () => account.Create(RequestId()))).Result.IsOk), "create");
            await AssertCosts(operations, trading, [AccountBatch], async () => Assert.True((await account.Deposit(RequestId(), 10_000m)).Result.IsOk), "deposit");
            await AssertCosts(operations, trading, [AccountBatch, PositionBatch],
                () => Open(account, isolated, PositionSide.Long, 0.1m, 10), "isolated open");
            await NothingForTheShardsTimer(grains, operations, "the open's liquidation entry: in the position's row");

            await Mode(account, cross, MarginMode.Cross);
            await trading.Quiet();
            operations.Take();
            await AssertCosts(operations, trading, [AccountBatch], () => Open(account, cross, PositionSide.Long, 1m, 10), "cross open");
        });
    }

    /// <summary>
    /// An account past its window of request ids (a bot trading all day) reads no request row for a
    /// new id: the id's row goes in the command's first batch, inserted only if absent. A deposit is
    /// one batch, an isolated open the same operations as a young account's; an open the position
    /// refuses for a stale mark (a refusal that keeps no id) is booked at once, its claim released, so
    /// the same id goes through once the mark is fresh, again with no read.
    /// </summary>
    [Fact]
    public async Task ACommandOfAnAccountPastItsWindow_ReadsNoRequestRow()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = NewSymbol();
            Assert.True((await grains.GetGrain<IMarketGrain>(symbol).Create(
                new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, MarginOrleans.Silo.DefaultMarkets.Brackets, StaleAfterSeconds: 30))).IsOk);
            await trading.Price(symbol, 20_000m);
            var account = await trading.Account(10_000m);
            for (var i = 0; i < AccountState.RequestWindow + 1; i++)
            {
                Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk);
            }

            await Open(account, symbol, PositionSide.Long, 0.1m, 10);
            await trading.Quiet();
            operations.Take();

            await AssertCosts(operations, trading, [AccountBatch], async () => Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk), "deposit");
            await AssertCosts(operations, trading, [AccountBatch, PositionBatch], () => Open(account, symbol, PositionSide.Long, 0.1m, 10), "isolated increase");
            await NothingForTheShardsTimer(grains, operations, "the increase's liquidation entry: the same price, its ranking figures moved, in the position's row");

            TestClock.For(prefix).Advance(TimeSpan.FromSeconds(31));
            var (id, order) = (RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.1m, 10, null));
            await AssertCosts(operations, trading, [AccountBatch, PositionBatch, AccountBatch],
                async () => Assert.Equal(Rejection.MarkPriceStale, (await account.OpenPosition(id, order)).Result.Reason), "open refused for a stale mark");
            await trading.Price(symbol, 20_000m);
            await trading.Quiet();
            operations.Take();
            await AssertCosts(operations, trading, [AccountBatch, PositionBatch],
                async () => Assert.True((await account.OpenPosition(id, order)).Result.IsOk), "the same id once the mark is fresh");
            await NothingForTheShardsTimer(grains, operations, "the second increase's liquidation entry");
        });
    }

    /// <summary>
    /// An isolated position's commands, one at a time: each is the account's intent batch (the
    /// numbered command recorded before it is sent, what a crash is settled from; it carries the
    /// previous command's booking, the wallet side with its journal and request rows) and the
    /// position's one write, whose row holds its index entries: an entry that moves to fire sooner
    /// (less margin, a take-profit or stop-loss set) or later (more margin; a partial close, which
    /// moves only its ranking figures), or is removed, costs no trigger row, now or at the shard's
    /// next batch. An unchanged order set moves no entry; nothing writes twice.
    /// </summary>
    [Fact]
    public async Task PositionCommands_CostExactlyTheseOperations()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 0.2m, 10);
            await trading.Quiet();
            operations.Take();

            Task Costs(string[] expected, Func<Task<CommandResult>> command, string name) => AssertCosts(operations, trading, expected, async () =>
            {
                var result = await command();
                Assert.True(result.Result.IsOk, result.Result.Detail);
            }, name);

            LegKey leg = symbol;
            await Costs([AccountBatch, PositionBatch], () => account.AddMargin(RequestId(), leg, 100m), "add margin");
            await NothingForTheShardsTimer(grains, operations, "add margin: its liquidation entry, moved to fire later");
            await Costs([AccountBatch, PositionBatch], () => account.RemoveMargin(RequestId(), leg, 50m), "remove margin");
            await Costs([AccountBatch, PositionBatch], () => account.SetTakeProfitStopLoss(RequestId(), leg, 25_000m, 19_000m), "take-profit / stop-loss set");
            await Costs([AccountBatch, PositionBatch], () => account.SetTakeProfitStopLoss(RequestId(), leg, 25_000m, 19_000m), "take-profit / stop-loss set again, unchanged");
            await Costs([AccountBatch, PositionBatch], () => account.ClosePosition(RequestId(), leg, 0.1m), "partial close");
            await NothingForTheShardsTimer(grains, operations, "partial close: its liquidation entry's ranking figures");
            await Costs([AccountBatch, PositionBatch], () => account.ClosePosition(RequestId(), leg, null), "close");
            await NothingForTheShardsTimer(grains, operations, "close: the liquidation, take-profit and stop-loss entries leave the position's row");
        });
    }

    /// <summary>
    /// A funding time costs no operation of its own: it moves the market's cumulative funding index,
    /// written with the tick's mark, whatever the number of positions. An isolated position settles
    /// its payment when it is next touched, in that command's position write; the command's outcome
    /// carries the payment to its booking, so the payment costs no operation of its own either. An
    /// untouched position has written nothing yet.
    /// </summary>
    [Fact]
    public async Task AFundingTime_CostsNoOperationOfItsOwn_NorItsPaymentSettledByTheNextCommand()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var (trading, clock, symbol) = (new Trading(grains), TestClock.Of(grains), NewSymbol());
            var market = grains.GetGrain<IMarketGrain>(symbol);
            var interval = TimeSpan.FromMinutes(1);
            Assert.True((await market.Create(new MarketSpec(symbol, 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets, Funding: new FundingSpec((int)interval.TotalSeconds)))).IsOk);
            clock.AdvanceToNext(interval);
            Assert.True((await market.PublishPrice(19_980m, 20_000m)).Result.IsOk);
            var (paying, untouched) = (await trading.Account(10_000m), await trading.Account(10_000m));
            await Open(paying, symbol, PositionSide.Long, 0.1m, 10);
            await Open(untouched, symbol, PositionSide.Long, 0.1m, 10);
            await trading.Quiet();
            operations.Take();

            clock.AdvanceToNext(interval);
            await AssertCosts(operations, trading, [GrainWrite], async () => Assert.True((await market.PublishPrice(20_000m, 20_000m)).Result.IsOk), "a funding time's tick");
            await AssertCosts(operations, trading, [AccountBatch, PositionBatch], async () =>
                Assert.True((await paying.AddMargin(RequestId(), symbol, 10m)).Result.IsOk), "add margin after the funding time");
            await NothingForTheShardsTimer(grains, operations, "its liquidation entry, later by the margin added net of the payment");

            // Mark 20,000 over index 19,980 for the interval: a long pays 10.02 per BTC (docs/margin-math.md), 1.002 for 0.1.
            Assert.Equal([-1.002m], (await paying.GetJournal(1, 100)).Where(e => e.Kind == JournalKind.Funding).Select(e => e.RealizedPnl));
            Assert.DoesNotContain(await untouched.GetJournal(1, 100), e => e.Kind == JournalKind.Funding);
        });
    }

    /// <summary>
    /// A trigger shard answers a removal, or a move that fires later, at once and writes it with its
    /// next batch, here its one-second timer's: the clock moved past it, they cost one trigger batch
    /// per shard holding them (<paramref name="shards"/>), together.
    /// </summary>
    private async Task WrittenByTheShardsTimer(IGrainFactory grains, StorageOperations operations, string name, int shards = 1)
    {
        var written = operations.Next(TriggerBatch, shards);
        TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1));
        await Within(written, "the shards' batches of what they answered at once");
        await EngineActivity.Of(grains).Quiet;
        var counted = operations.Take();
        output.WriteLine($"{name}: {counted.Count}\n  {string.Join("\n  ", counted)}");
        Assert.Equal(Enumerable.Repeat(TriggerBatch, shards), counted);
    }

    /// <summary>An isolated position's entries lie in its own row: the shards' timers find nothing of theirs to write.</summary>
    private async Task NothingForTheShardsTimer(IGrainFactory grains, StorageOperations operations, string name)
    {
        TestClock.Of(grains).Advance(TimeSpan.FromSeconds(1));
        await EngineActivity.Of(grains).Quiet;
        var counted = operations.Take();
        output.WriteLine($"{name}: {counted.Count}\n  {string.Join("\n  ", counted)}");
        Assert.Empty(counted);
    }

    /// <summary>
    /// A fund's activation, in an installation whose grain rows were empty at its first start, reads its
    /// own rows only: a fund never writes Orleans' row, so none can hold its state.
    /// </summary>
    [Fact]
    public async Task AFundsActivation_ReadsItsOwnRowsOnly()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            await grains.GetGrain<IInsuranceFundGrain>("fund-" + Guid.NewGuid().ToString("N")[..8]).Get();
            await trading.Quiet();
            operations.Take();

            await AssertCosts(operations, trading, [FundLoad], () => grains.GetGrain<IInsuranceFundGrain>("fund-" + Guid.NewGuid().ToString("N")[..8]).Get(), "a fund's activation");
        });
    }

    /// <summary>
    /// An isolated liquidation with its fund already active, beside the tick's own mark write: the
    /// position's one write (its transfer rides on its report), the fund's batch (its state with the
    /// transfer's row) and the account's batch (its journal row with its state, written once the fund
    /// holds the transfer: the transfer's record of done). The fired trigger's release row (the
    /// position's row names the entry until its next write) rides on its shard's next batch, and the transfer row's deletion, once the account confirmed, on the fund's.
    /// In the silo's storage queue the mark and the fund pass, the position waits its turn, and the
    /// account's batch, a record of what the position and the fund hold, gives way.
    /// </summary>
    [Fact]
    public async Task AnIsolatedLiquidation_CostsExactlyTheseOperations()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(20_000m);
            Assert.True((await grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 100m)).IsOk);
            var account = await trading.Account(10_000m);
            await Open(account, symbol, PositionSide.Long, 0.1m, 10);
            await trading.Quiet();
            operations.Take();

            // Long 0.1 @ 20,000 at 10x liquidates below (20,000 − 2,000)/0.996 = 18,072.28…
            await trading.Price(symbol, 18_000m);
            await trading.Quiet();
            var counted = operations.Take(lines: true);
            output.WriteLine($"liquidation: {counted.Count}\n  {string.Join("\n  ", counted)}");
            Assert.Null(await account.GetPosition(symbol));
            Assert.Equal(
                new[] { $"{GrainWrite} · first", $"{PositionBatch} · in line", $"{FundBatch} · first", $"{AccountBatch} · gives way" }.Order(StringComparer.Ordinal),
                counted);
            await WrittenByTheShardsTimer(grains, operations, "the fired entry's release row: the position's row still names it");
        });
    }
    /// <summary>
    /// A cross liquidation with its fund already active, beside the tick's own mark write: the
    /// account's batch that closes its positions and records the transfer, the fund's batch, and the
    /// account's record that the fund applied it, which gives way in the storage queue (the fund keeps
    /// the id until it is written). The band's removal rides on its shard's next batch.
    /// </summary>
    [Fact]
    public async Task ACrossLiquidation_CostsExactlyTheseOperations()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(2_000m);
            Assert.True((await grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 100m)).IsOk);
            var account = await trading.Account(210m);
            await Mode(account, symbol, MarginMode.Cross);
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            await trading.Quiet();
            operations.Take();

            // Long 1 @ 2,000 on a wallet of 210 less its fee: at 1,790 the loss of 210 leaves no equity.
            await trading.Price(symbol, 1_790m);
            await trading.Quiet();
            var counted = operations.Take(lines: true);
            output.WriteLine($"cross liquidation: {counted.Count}\n  {string.Join("\n  ", counted)}");
            Assert.Equal(
                new[] { $"{GrainWrite} · first", $"{AccountBatch} · in line", $"{FundBatch} · first", $"{AccountBatch} · gives way" }.Order(StringComparer.Ordinal),
                counted);
            await WrittenByTheShardsTimer(grains, operations, "the band's removal");

            // Read last: a look at the symbol activates its isolated leg's grain, which reads its row.
            Assert.Null(await account.GetPosition(symbol));
            await trading.AssertConserved();
        });
    }

    /// <summary>
    /// Five isolated liquidations in one tick, on one market whose fund is active: each account
    /// batches once, beside the tick's one mark write (exact in
    /// <see cref="AnIsolatedLiquidation_CostsExactlyTheseOperations"/>). The fund's writes are
    /// group-committed (<see cref="GroupCommitTests"/>): a write covers every transfer that arrived
    /// while the one before it was in flight, so how many the five take depends on when they arrive,
    /// on a shared machine — at least one, never more than one each (a fund's batch holds its state
    /// and its transfers' rows). So are the positions' rows, by market bucket (<see cref="PositionRowsTests"/>):
    /// five buckets at most. The fired entries' five release rows share their shard's next batch.
    /// </summary>
    [Fact]
    public async Task FiveLiquidationsInOneTick_BatchEachAccountOnce_AndShareTheFundsAndTheTriggersWrites()
    {
        const int liquidations = 5;
        var prefix = ClusterFixture.NewTablePrefix();
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var symbol = await trading.Market(20_000m, shards: 1);
            Assert.True((await grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 100m)).IsOk);
            var accounts = new List<IAccountGrain>();
            for (var i = 0; i < liquidations; i++)
            {
                accounts.Add(await trading.Account(10_000m));
                await Open(accounts[^1], symbol, PositionSide.Long, 0.1m, 10);
            }

            await trading.Quiet();
            operations.Take();

            await trading.Price(symbol, 18_000m);
            await trading.Quiet();
            var counted = operations.Take();
            foreach (var account in accounts)
            {
                Assert.Null(await account.GetPosition(symbol));
            }

            // One grain write, the mark's; the positions' rows share their buckets' batches.
            var (fundWrites, positionWrites) = (counted.Count(o => o == FundBatch), counted.Count(o => o == PositionBatch));
            output.WriteLine($"{liquidations} liquidations: {counted.Count} operations, {(decimal)counted.Count / liquidations} each; "
                + $"fund writes {fundWrites}, position batches {positionWrites}\n  {string.Join("\n  ", counted)}");
            Assert.Equal(liquidations, counted.Count(o => o == AccountBatch));
            Assert.Equal(1, counted.Count(o => o == GrainWrite));
            Assert.Equal(counted.Count, counted.Count(o => o is GrainWrite or PositionBatch or AccountBatch or FundBatch));
            Assert.InRange(fundWrites, 1, liquidations);
            Assert.InRange(positionWrites, 1, liquidations);
            await WrittenByTheShardsTimer(grains, operations, "the five fired entries' release rows");
        });
    }

    /// <summary>Runs the command, waits for the engine to go quiet, and checks exactly the operations it cost.</summary>
    private async Task AssertCosts(StorageOperations operations, Trading trading, string[] expected, Func<Task> command, string name)
    {
        await command();
        await trading.Quiet();
        var counted = operations.Take();
        output.WriteLine($"{name}: {counted.Count}\n  {string.Join("\n  ", counted)}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), counted);
    }
}
