using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// A liquidation's fund transfer rides on its report to the account, which applies it to the fund
/// (once by id) before journaling it; the position writes once and never records the transfer done.
/// Long 1 @ 20,000, 10x, liquidated at 18,050: 50 goes to the fund, exactly once, whatever fails.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LiquidationTransferTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task ACrashAfterTheFundAppliedTheTransfer_BeforeTheAccountJournaledIt_MovesTheMoneyOnce()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var transfer = PositionKey.Of(account.GetPrimaryKeyString(), symbol) + "#1";
        TestFaults.Instance.Arm(FaultPoints.TransferApplied, transfer);

        await trading.Price(symbol, 18_050m);
        await fixture.Quiet();

        // The fund holds the 50; the position still lists it, the audit counts it once.
        Assert.Equal(50m, (await trading.Fund(symbol)).Received);
        Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        var halfway = await trading.AssertConserved();
        Assert.True(halfway.Consistent);

        fixture.Clock.Advance(TimeSpan.FromSeconds(10)); // the position's outbox timer re-sends the report
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the re-sent liquidation journaled");

        Assert.Equal((50m, 0m), ((await trading.Fund(symbol)).Received, (await trading.Fund(symbol)).Paid));
        Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        Assert.DoesNotContain(transfer, (await fixture.Grains.GetGrain<IInsuranceFundGrain>(symbol).GetAudit()).Applied.Keys);
        await trading.AssertConserved();
    }

    /// <summary>
    /// A fund that fails to answer the account (in a cascade: its write queued past the call's 30 s)
    /// changed nothing in the account: its activation stays (no state read behind the same queue),
    /// the report stays unacknowledged, and the position's outbox timer sends it again.
    /// </summary>
    [Fact]
    public async Task AFundThatDoesNotAnswer_LeavesTheAccountsActivation_AndTheReportSentAgainMovesTheMoneyOnce()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var transfer = PositionKey.Of(account.GetPrimaryKeyString(), symbol) + "#1";
        var activations = 0;
        void Count(GrainId id)
        {
            if (id == account.GetGrainId())
            {
                Interlocked.Increment(ref activations);
            }
        }

        var witness = ActivationWitness.Of(fixture.Grains);
        witness.Activated += Count;
        try
        {
            TestFaults.Instance.Arm(FaultPoints.FundUnanswered, transfer);
            await trading.Price(symbol, 18_050m);
            await fixture.Quiet();
            Assert.Equal(0m, (await trading.Fund(symbol)).Received);
            Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
            var halfway = await fixture.Grains.GetGrain<IAuditGrain>(Audits.Key).Run();
            Assert.Equal((50m, 0m), (halfway.InFlight, halfway.Discrepancy)); // the 50 in flight, on the position's side

            fixture.Clock.Advance(TimeSpan.FromSeconds(10)); // the position's outbox timer re-sends the report
            await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the re-sent liquidation journaled");
        }
        finally
        {
            witness.Activated -= Count;
        }

        Assert.Equal(0, activations); // the account's first activation served it all
        Assert.Equal((50m, 0m), ((await trading.Fund(symbol)).Received, (await trading.Fund(symbol)).Paid));
        Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        await trading.AssertConserved();
    }

    /// <summary>
    /// The position dies between its liquidation write and any delivery; its next activation
    /// delivers. Its state still holds the report (nothing recorded it done), so every later
    /// activation — here after a full restart — sends it again: the account only acknowledges it
    /// (its fund may even list the id again, if it forgot it in memory only before a restart: harmless).
    /// </summary>
    [Fact]
    public async Task ACrashAfterTheLiquidationWrite_DeliversOnce_AndEveryLaterActivationResendsNothingThatMoves()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var key = "acc-" + Guid.NewGuid().ToString("N")[..12];
        var symbol = "";
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            symbol = await trading.Market(20_000m);
            var account = await trading.Account(10_000m, key, RequestId());
            await Open(account, symbol, PositionSide.Long, 1m, 10);
            TestFaults.Instance.Arm(FaultPoints.LiquidationUnreported, PositionKey.Of(key, symbol));

            await trading.Price(symbol, 18_050m);
            // The failed activation is dropped; the next (a look at the position) delivers what it wrote.
            await trading.Settled(async () => await account.GetPosition(symbol) is null
                && (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.Liquidation), "the liquidation journaled");

            Assert.Equal(50m, (await trading.Fund(symbol)).Received);
            await trading.AssertConserved();

            // The fund's next write persists that it forgot the id.
            Assert.True((await grains.GetGrain<IInsuranceFundGrain>(symbol).TopUp(RequestId(), 1m)).IsOk);
        });

        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            var account = grains.GetGrain<IAccountGrain>(key);

            // The audit activates the position, which lists its report until the account answers:
            // the account, which journaled it, counts its transfer in the fund only.
            await trading.AssertConserved();
            Assert.Null(await account.GetPosition(symbol));
            await trading.Quiet();

            Assert.Equal(50m, (await trading.Fund(symbol)).Received);
            Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
            await trading.AssertConserved();
        });
    }
}
