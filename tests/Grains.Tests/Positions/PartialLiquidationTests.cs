using CsCheck;
using MarginOrleans.Silo;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>
/// Partial liquidation by bracket step-down. Long 5 BTC at 20,000, 50x: notional 100,000 in bracket 2 (MMR 0.5%,
/// maintenance amount 50), margin 2,000, liquidation price (100,000 − 2,000 − 50) / (5 × 0.995) = 19,688.44.
/// At 19,680: equity 2,000 − 1,600 = 400 ≤ MM 98,400 × 0.5% − 50 = 442. Bracket 1 holds notionals
/// under 50,000: keep 2.540 (49,987.2), sell 2.46 at a loss of 787.2 taken from the margin (1,212.8
/// left); equity still 400, now above bracket 1's MM 0.4% × 49,987.2 = 199.9488.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PartialLiquidationTests(ClusterFixture fixture)
{
    private static readonly MarketSpec Spec = new("PART-USDT", 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets);

    [Fact]
    public void AStepDown_SellsJustEnoughForTheLowerBracket_AndLeavesThePositionAboveMaintenance()
    {
        var p = new IsolatedPositionState();
        new PositionChanges(p, Market(20_000m)).Open(new OpenCommand(PositionSide.Long, 5m, 50) { WalletAvailable = 1_000_000m });
        var changes = new PositionChanges(p, Market(19_680m));
        Assert.True(changes.IsLiquidatable);

        Assert.Equal([(2.46m, 787.2m)], changes.StepDown());
        Assert.Equal((2.54m, 1_212.8m), (p.Quantity, p.IsolatedMargin));
        Assert.False(changes.IsLiquidatable);
    }

    [Fact]
    public void AfterStepDowns_ThePositionIsAboveMaintenanceOrInTheFirstBracket_AndTheLossNeverExceedsTheMargin() =>
        Gen.Select(Gen.Int[2_600, 40_000], Gen.Int[1, 100], Gen.Int[0, 1_500], Gen.OneOfConst(PositionSide.Long, PositionSide.Short))
            .Sample((lots, leverage, permilleMove, side) =>
            {
                var p = new IsolatedPositionState();
                var opened = new PositionChanges(p, Market(20_000m)).Open(
                    new OpenCommand(side, lots * 0.001m, leverage) { WalletAvailable = 10_000_000m });
                if (!opened.Result.IsOk)
                {
                    return; // a leverage above the bracket's cap
                }

                var margin = p.IsolatedMargin;
                var mark = Math.Round(20_000m * (1m - side.Sign() * permilleMove / 10_000m), 1);
                var changes = new PositionChanges(p, Market(mark));
                var steps = changes.StepDown();

                Assert.True(steps.Sum(s => s.Loss) <= margin);
                Assert.True(p.IsolatedMargin >= 0m);
                if (steps.Count > 0 && changes.IsLiquidatable)
                {
                    // Still at maintenance: only because no lower bracket is left to step into.
                    Assert.True(p.Quantity * mark < Spec.Brackets().Tiers[0].NotionalCap);
                }
            }, iter: 5_000);

    [Fact]
    public async Task ThroughTheIndex_AStepDownIsJournaled_AndThePositionStaysOpen()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 5m, 50);

        Assert.Equal(1, (await trading.Price(symbol, 19_680m)).Fired);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.PartialLiquidation), "the step-down");

        var step = Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.PartialLiquidation);
        Assert.Equal((2.46m, 19_680m, -787.2m), (step.Quantity, step.Price, step.RealizedPnl));
        var position = (await account.GetPosition(symbol))!;
        Assert.Equal((2.54m, 1_212.8m), (position.Quantity, position.IsolatedMargin));
        Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        await trading.AssertConserved();
    }

    /// <summary>
    /// The same step for a cross account: deposit 2,090, cross long 5 BTC at 20,000, 50x (fee 50):
    /// wallet 2,040. Its band is where 2,040 + 5 × (P − 20,000) = 0.5% × 5P − 50: 19,680.4. At 19,680
    /// equity 440 ≤ MM 442: sell 2.46 (−787.2 realized into the wallet: 1,252.8), equity still 440 >
    /// bracket 1's 199.9488.
    /// </summary>
    [Fact]
    public async Task ACrossAccount_StepsItsLargestBracketPositionDown_BeforeAnyFullLiquidation()
    {
        var trading = new Trading(fixture.Grains);
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(2_090m);
        await Mode(account, symbol, MarginMode.Cross);
        await Open(account, symbol, PositionSide.Long, 5m, 50);

        Assert.True((await trading.Price(symbol, 19_680m)).Fired >= 1);
        await trading.Settled(async () => (await account.GetJournal(1, 100)).Any(e => e.Kind == JournalKind.PartialLiquidation), "the step-down");

        var step = Assert.Single(await account.GetJournal(1, 100), e => e.Kind == JournalKind.PartialLiquidation);
        Assert.Equal((symbol, 2.46m, -787.2m, 1_252.8m), (step.Symbol, step.Quantity, step.RealizedPnl, step.WalletBalance));
        Assert.Equal(2.54m, (await account.GetPosition(symbol))!.Quantity);
        Assert.DoesNotContain(await account.GetJournal(1, 100), e => e.Kind == JournalKind.Liquidation);
        await trading.AssertConserved();
    }

    private static MarketSnapshot Market(decimal mark) =>
        new(Spec, mark, mark, DateTimeOffset.UnixEpoch, 0, [], 0, new FundingView(FundingPoint.Zero, 0m, default, 0m));
}
