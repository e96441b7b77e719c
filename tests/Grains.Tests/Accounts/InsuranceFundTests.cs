using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Accounts;

/// <summary>The fund's group commit: concurrent transfers and their repeats each count exactly once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InsuranceFundTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ConcurrentTransfersAndRepeats_AreAppliedExactlyOnce()
    {
        // A fund of its own currency, so the fixture's audits are not disturbed.
        var fund = fixture.Grains.GetGrain<IInsuranceFundGrain>("T" + Guid.NewGuid().ToString("N")[..8]);
        var transfers = Enumerable.Range(1, 200).Select(i => ($"t{i}", i % 3 == 0 ? -i * 0.01m : i * 0.01m)).ToList();

        await Task.WhenAll(transfers.Concat(transfers).Select(t => fund.Apply(t.Item1, t.Item2, null)));

        var view = await fund.Get();
        Assert.Equal(transfers.Sum(t => t.Item2), view.Balance);
        Assert.Equal(transfers.Where(t => t.Item2 > 0).Sum(t => t.Item2), view.Received);
        Assert.Equal(-transfers.Where(t => t.Item2 < 0).Sum(t => t.Item2), view.Paid);
    }

    /// <summary>An operator tops a market's fund up and moves money between funds, each once per request id, journaled.</summary>
    [Fact]
    public async Task OperatorTopUpsAndMoves_ApplyOnce_AreJournaled_AndKeepTheAuditExact()
    {
        var trading = new Trading(fixture.Grains);
        var (btc, eth) = (await trading.Market(20_000m), await trading.Market(1_000m));
        var (topUp, move) = (Trading.RequestId(), Trading.RequestId());

        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).TopUp(topUp, 500m)).IsOk);
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).TopUp(topUp, 500m)).IsOk); // a retry
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).Move(move, eth, 200m)).IsOk);
        Assert.True((await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).Move(move, eth, 200m)).IsOk);          // a retry
        var tooMuch = await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).Move(Trading.RequestId(), eth, 300.01m);

        Assert.Equal((Rejection.InsufficientBalance, $"fund {btc} holds 300; cannot move 300.01"), (tooMuch.Reason, tooMuch.Detail));
        var (btcFund, ethFund) = (await trading.Fund(btc), await trading.Fund(eth));
        Assert.Equal((300m, 500m, 200m), (btcFund.Balance, btcFund.ToppedUp, ethFund.Balance));
        var movements = await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).GetMovements();
        Assert.Equal([(FundMovementKind.TopUp, 500m, ""), (FundMovementKind.MovedOut, -200m, eth)], movements.Select(m => (m.Kind, m.Amount, m.OtherFund)));
        Assert.Equal((FundMovementKind.MovedIn, 200m, btc), (await fixture.Grains.GetGrain<IInsuranceFundGrain>(eth).GetMovements()).Select(m => (m.Kind, m.Amount, m.OtherFund)).Single());
        Assert.True((await trading.AssertConserved()).FundTopUps >= 500m);

        // A request id is one movement: reused for another, or a move onto the same fund, is refused and moves nothing.
        var reused = await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).Move(topUp, eth, 100m);
        Assert.Equal((Rejection.RequestIdReused, $"request id {topUp} was used for another movement of fund {btc}"), (reused.Reason, reused.Detail));
        Assert.Equal(Rejection.FundsMustDiffer, (await fixture.Grains.GetGrain<IInsuranceFundGrain>(btc).Move(Trading.RequestId(), btc, 100m)).Reason);
        Assert.Equal((300m, 200m), ((await trading.Fund(btc)).Balance, (await trading.Fund(eth)).Balance));
        await trading.AssertConserved();
    }
}
