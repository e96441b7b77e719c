using CsCheck;
using MarginOrleans.Positions;
using MarginOrleans.Risk;
using MarginOrleans.Silo;

namespace MarginOrleans.Tests.Funding;

/// <summary>
/// The two promises of lazy funding: settling through the cumulative index pays exactly what
/// paying every position at every funding time would (the engine's own <see cref="PositionChanges"/>
/// against an eager sum), and the index's funding shift never lets a liquidation come late.
/// </summary>
public sealed class FundingProperties
{
    private static readonly MarketSpec Spec = new("PROP-USDT", 0.1m, 0.001m, 0.0005m, DefaultMarkets.Brackets);
    private static readonly decimal MmrMax = Spec.Brackets().Tiers.Max(t => t.MaintenanceMarginRate);

    private abstract record Step;

    private sealed record Funding(decimal Rate, decimal Mark) : Step;

    private sealed record Trade(PositionSide Side, decimal Quantity, decimal Mark) : Step;

    private static readonly Gen<decimal> Marks = Gen.Int[190_000, 210_000].Select(ticks => ticks * 0.1m);

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (2, from rate in Gen.Int[-500, 500] from mark in Marks select (Step)new Funding(rate / 1_000_000m, mark)),
        (1, from side in Gen.OneOfConst(PositionSide.Long, PositionSide.Short) from lots in Gen.Int[1, 2_000] from mark in Marks
            select (Step)new Trade(side, lots * 0.001m, mark)));

    [Fact]
    public void SettlingLazily_PaysExactlyWhatPayingAtEveryFundingTimeWould() =>
        Steps.Array[1, 60].Sample(steps =>
        {
            var p = new IsolatedPositionState();
            var (cumulative, times, mark, lazy, eager) = (0m, 0L, 20_000m, 0m, 0m);
            foreach (var step in steps)
            {
                if (step is Funding f)
                {
                    (cumulative, times) = (cumulative + f.Rate * f.Mark, times + 1);
                    eager += p.IsOpen ? p.Sign * p.Quantity * f.Rate * f.Mark : 0m;
                    continue;
                }

                var t = (Trade)step;
                mark = t.Mark;
                var changes = new PositionChanges(p, Market(mark, cumulative, times));
                lazy += changes.SettleFunding();
                var opened = changes.Open(new OpenCommand(t.Side, t.Quantity, 10) { WalletAvailable = decimal.MaxValue / 2 });
                Assert.True(opened.Result.IsOk, opened.Result.Detail);
            }

            lazy += new PositionChanges(p, Market(mark, cumulative, times)).SettleFunding();
            Assert.Equal(eager, lazy);
        }, iter: 300);

    [Fact]
    public void AfterAFundingTime_EveryMarkThatMakesThePositionLiquidatable_FiresItsShiftedTrigger() =>
        Gen.Select(Gen.OneOfConst(PositionSide.Long, PositionSide.Short), Gen.Int[1, 3_000], Gen.Int[1, 125], Gen.Int[-3_000, 3_000], Gen.Int[-3_000, 3_000])
            .Sample((side, lots, leverage, paidCents, offsetCents) =>
            {
                var p = new IsolatedPositionState();
                var entry = 20_000m;
                var opening = new PositionChanges(p, Market(entry, 0m, 0));
                opening.SettleFunding(); // as the grain does before every change: the position starts at the current index
                var open = opening.Open(new OpenCommand(side, lots * 0.001m, leverage) { WalletAvailable = decimal.MaxValue / 2 });
                if (!open.Result.IsOk || TriggerPlan.For(p, TriggerKey.Liquidation("a"), Spec.Brackets()) is not { } trigger)
                {
                    return; // a leverage above the bracket's cap, or a long that no price liquidates
                }

                var index = new TriggerIndex();
                index.Set(trigger);

                // One funding time moves the index by paidPerUnit; nobody settles or re-registers.
                var paidPerUnit = paidCents / 100m;
                var (longs, shorts) = FundingMath.Shifts(paidPerUnit, MmrMax);
                index.Shift(longs, shorts);
                new PositionChanges(p, Market(entry, paidPerUnit, 1)).SettleFunding();

                // Marks around the liquidation price after funding: where a trigger left behind would be late.
                var moved = IsolatedMath.LiquidationPrice(p.Sign, p.Quantity, p.EntryPrice, p.IsolatedMargin, Spec.Brackets()) ?? entry;
                var mark = Math.Max(0.1m, Math.Round(moved + offsetCents / 100m, 1));
                if (new PositionChanges(p, Market(mark, paidPerUnit, 1)).IsLiquidatable)
                {
                    Assert.Contains("a", index.Fire(mark, DateTimeOffset.UnixEpoch));
                }
            }, iter: 20_000);

    /// <summary>A command carrying a snapshot read before the latest funding time neither refunds nor charges again.</summary>
    [Fact]
    public void AnOlderSnapshot_NeverMovesASettlementBack()
    {
        var p = new IsolatedPositionState();
        new PositionChanges(p, Market(20_000m, 0m, 0)).SettleFunding();
        new PositionChanges(p, Market(20_000m, 0m, 0)).Open(new OpenCommand(PositionSide.Long, 1m, 10) { WalletAvailable = 1_000_000m });

        Assert.Equal(2m, new PositionChanges(p, Market(20_000m, 2m, 1)).SettleFunding());
        Assert.Equal(0m, new PositionChanges(p, Market(20_000m, 0m, 0)).SettleFunding());
        Assert.Equal((1, 1_998m), (p.Funding!.Times, p.IsolatedMargin));
        Assert.Equal(0m, new PositionChanges(p, Market(20_000m, 2m, 1)).SettleFunding());
    }

    private static MarketSnapshot Market(decimal mark, decimal cumulative, long times) =>
        new(Spec, mark, mark, DateTimeOffset.UnixEpoch, 0, [], 0, new FundingView(new FundingPoint(cumulative, 0m, 0m, times), 0m, default, 0m));
}
