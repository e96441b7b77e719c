using MarginOrleans.Tests.Support;
using Orleans.Runtime;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// The audit never reports an imbalance that is not there: a transfer is counted once while it
/// moves — at its sender until its fund applies it, then in the fund — and an operator's move
/// between funds is in flight until its second half lands.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AuditTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    private IAuditGrain Audit => fixture.Grains.GetGrain<IAuditGrain>(Audits.Key);

    /// <summary>1 @ 20,000, 10x, liquidated at 18,050: 50 goes to the fund, which applies it; the position cannot record it done.</summary>
    [Fact]
    public async Task ATransferItsFundApplied_WhileItsSenderStillListsIt_IsCountedOnce()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        var transfer = PositionKey.Of(account.GetPrimaryKeyString(), symbol) + "#1";
        TestFaults.Instance.Arm(FaultPoints.TransferApplied, transfer, untilDisarmed: true);
        try
        {
            await trading.Price(symbol, 18_050m);
            await fixture.Quiet(); // the liquidation and its transfer to the fund have landed
            Assert.Equal(50m, (await trading.Fund(symbol)).Received);

            var report = await Audit.Run();

            Assert.Equal((0m, 0m, true), (report.Discrepancy, report.InFlight, report.Consistent));
        }
        finally
        {
            TestFaults.Instance.Disarm(FaultPoints.TransferApplied, transfer);
        }

        await trading.AssertConservedOnceSettled();
    }

    /// <summary>Two accounts' silos fail the audit's call once (one timing out, one gone): each is asked again, and the pass balances.</summary>
    [Fact]
    public async Task AnAccountWhoseSiloFailsDuringTheAudit_IsAskedAgain()
    {
        var symbol = await trading.Market(20_000m);
        var (timedOut, gone) = (await trading.Account(10_000m), await trading.Account(5_000m));
        await Open(timedOut, symbol, PositionSide.Long, 1m, 10);
        TestFaults.Instance.Arm(FaultPoints.LedgerUnanswered, timedOut.GetPrimaryKeyString(), fault: () => new TimeoutException("no answer in time"));
        TestFaults.Instance.Arm(FaultPoints.LedgerUnanswered, gone.GetPrimaryKeyString(), fault: () => new SiloUnavailableException("the silo died"));

        var report = await Audit.Run();

        Assert.False(TestFaults.Instance.Armed(FaultPoints.LedgerUnanswered, timedOut.GetPrimaryKeyString()));
        Assert.False(TestFaults.Instance.Armed(FaultPoints.LedgerUnanswered, gone.GetPrimaryKeyString()));
        Assert.Equal((0m, 0m, true), (report.Discrepancy, report.InFlight, report.Consistent));
    }

    /// <summary>An account that never answers ends the audit once the bound has passed: an operator hears of it, the audit does not hang.</summary>
    [Fact]
    public async Task AnAccountThatNeverAnswers_EndsTheAudit_AfterItsBound()
    {
        var account = (await trading.Account(10_000m)).GetPrimaryKeyString();
        TestFaults.Instance.Arm(FaultPoints.LedgerUnanswered, account, untilDisarmed: true, fault: () => new TimeoutException("no answer in time"));
        try
        {
            var bound = TimeSpan.FromMilliseconds(500);
            var asking = System.Diagnostics.Stopwatch.StartNew();

            await Assert.ThrowsAsync<TimeoutException>(() => new AuditLedgers(fixture.Grains, bound).Of(account));

            Assert.True(asking.Elapsed >= bound, $"asked again for {asking.Elapsed}");
            Assert.True(TestFaults.Instance.Armed(FaultPoints.LedgerUnanswered, account));
        }
        finally
        {
            TestFaults.Instance.Disarm(FaultPoints.LedgerUnanswered, account);
        }
    }

    /// <summary>The source fund booked the move out, then failed before paying the target: it pays it by itself once it can.</summary>
    [Fact]
    public async Task AMoveBetweenFunds_WithOnlyItsFirstHalfDone_IsInFlight_NotMissing()
    {
        var (from, to) = (await trading.Market(1_000m), await trading.Market(1_000m));
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(from).TopUp(RequestId(), 300m)).IsOk);
        var move = RequestId();
        TestFaults.Instance.Arm(FaultPoints.MoveRecorded, move, untilDisarmed: true);
        await Assert.ThrowsAsync<InjectedFault>(() => fixture.Grains.GetGrain<IInsuranceFundGrain>(from).Move(move, to, 120m));

        var halfway = await Audit.Run();
        Assert.Equal((0m, 120m), (halfway.Discrepancy, halfway.InFlight));

        TestFaults.Instance.Disarm(FaultPoints.MoveRecorded, move);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1)); // the source fund's redelivery timer is due
        await trading.Fund(from); // answered once the redelivery tick has sent the second half
        await fixture.Quiet();
        var done = await Audit.Run();
        Assert.Equal((0m, 0m, 120m), (done.Discrepancy, done.InFlight, (await trading.Fund(to)).Balance));
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(from).Move(move, to, 120m)).IsOk); // a retry moves nothing more
        Assert.Equal((180m, 120m), ((await trading.Fund(from)).Balance, (await trading.Fund(to)).Balance));
    }

    /// <summary>Request ids are the operator's and each fund checks its own: an id the target already used never strands a move the source booked out.</summary>
    [Fact]
    public async Task AMoveUnderAnIdTheTargetUsedForATopUp_StillLands()
    {
        var (from, to) = (await trading.Market(1_000m), await trading.Market(1_000m));
        var id = RequestId();
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(from).TopUp(RequestId(), 300m)).IsOk);
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(to).TopUp(id, 50m)).IsOk);

        var moved = await fixture.Grains.GetGrain<IInsuranceFundGrain>(from).Move(id, to, 120m);

        Assert.True(moved.IsOk, moved.Detail);
        Assert.Equal((180m, 170m), ((await trading.Fund(from)).Balance, (await trading.Fund(to)).Balance));
        var report = await Audit.Run();
        Assert.Equal((0m, 0m), (report.Discrepancy, report.InFlight));
    }
}
