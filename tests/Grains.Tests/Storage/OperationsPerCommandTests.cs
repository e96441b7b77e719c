using MarginOrleans.Accounts;
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
    private const string GrainInsert = "grains insert write";
    private const string GrainWrite = "grains conditional replace write";
    private const string AccountRead = "journal account state read read";
    private const string AccountBatch = "journal account batch write";
    private const string TriggerBatch = "triggers trigger batch write";

    /// <summary>
    /// A new account's create reads its absent state row (not where state stored before lives: this
    /// installation's grain rows were empty at its first start) and its API key's, and writes both and
    /// its directory row; a command of a young account reads no
    /// request row (its window holds every id it kept) and writes its state, journal rows and request
    /// id in one batch; an isolated open writes the account's intent, the new position and its
    /// trigger, then the account's batch.
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

            async Task Costs(string[] expected, Func<Task> command, string name)
            {
                await command();
                await trading.Quiet();
                var counted = operations.Take();
                output.WriteLine($"{name}: {counted.Count}\n  {string.Join("\n  ", counted)}");
                Assert.Equal(expected.Order(StringComparer.Ordinal), counted);
            }

            await Costs([AccountRead, AccountBatch, GrainRead, GrainInsert, "accounts upsert merge write"],
                async () => Assert.True((await account.Create(RequestId())).Result.IsOk), "create");
            await Costs([AccountBatch], async () => Assert.True((await account.Deposit(RequestId(), 10_000m)).Result.IsOk), "deposit");
            await Costs([AccountBatch, GrainRead, GrainInsert, TriggerBatch, AccountBatch],
                () => Open(account, isolated, PositionSide.Long, 0.1m, 10), "isolated open");

            await Mode(account, cross, MarginMode.Cross);
            await trading.Quiet();
            operations.Take();
            await Costs([AccountBatch], () => Open(account, cross, PositionSide.Long, 1m, 10), "cross open");
        });
    }

    /// <summary>
    /// An account past its window of request ids (a bot trading all day) reads no request row for a
    /// new id: the id's row goes in the command's first batch, inserted only if absent. A deposit is
    /// one batch, an isolated open the same operations as a young account's; an open the position
    /// refuses for a stale mark (a refusal that keeps no id) leaves no row, so the same id goes
    /// through once the mark is fresh, again with no read.
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

            async Task Costs(string[] expected, Func<Task> command, string name)
            {
                await command();
                await trading.Quiet();
                var counted = operations.Take();
                output.WriteLine($"{name}: {counted.Count}\n  {string.Join("\n  ", counted)}");
                Assert.Equal(expected.Order(StringComparer.Ordinal), counted);
            }

            await Costs([AccountBatch], async () => Assert.True((await account.Deposit(RequestId(), 1m)).Result.IsOk), "deposit");
            await Costs([AccountBatch, GrainWrite, TriggerBatch, AccountBatch], () => Open(account, symbol, PositionSide.Long, 0.1m, 10), "isolated increase");

            TestClock.For(prefix).Advance(TimeSpan.FromSeconds(31));
            var (id, order) = (RequestId(), new OpenOrder(symbol, PositionSide.Long, 0.1m, 10, null));
            await Costs([AccountBatch, GrainWrite, AccountBatch],
                async () => Assert.Equal(Rejection.MarkPriceStale, (await account.OpenPosition(id, order)).Result.Reason), "open refused for a stale mark");
            await trading.Price(symbol, 20_000m);
            await trading.Quiet();
            operations.Take();
            await Costs([AccountBatch, GrainWrite, TriggerBatch, AccountBatch],
                async () => Assert.True((await account.OpenPosition(id, order)).Result.IsOk), "the same id once the mark is fresh");
        });
    }

    /// <summary>
    /// An isolated liquidation with its fund already active, beside the tick's own mark write: the
    /// position's write, the fund's, the position's record of the transfer done, the account's batch
    /// (its journal row with its state) and the fired trigger's removal.
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
            var counted = operations.Take();
            output.WriteLine($"liquidation: {counted.Count}\n  {string.Join("\n  ", counted)}");
            Assert.Null(await account.GetPosition(symbol));
            Assert.Equal(
                new[] { GrainWrite, GrainWrite, GrainWrite, GrainWrite, AccountBatch, TriggerBatch }.Order(StringComparer.Ordinal),
                counted);
        });
    }
}
