using CsCheck;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// The index's read-only views: the heatmap puts each liquidation entry where it fires now (funding
/// shift applied), and the stress test names exactly the owners a real tick at that mark wakes.
/// </summary>
public sealed class LiquidationScanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static TriggerEntry Long(string account, decimal price, decimal quantity, decimal bankruptcy, decimal frame = 0m) =>
        new(TriggerKey.Liquidation(account), TriggerDirection.AtOrBelow, price, frame, new PositionStanding(quantity, 20000m, bankruptcy));

    private static TriggerEntry Short(string account, decimal price, decimal quantity, decimal bankruptcy, decimal frame = 0m) =>
        new(TriggerKey.Liquidation(account), TriggerDirection.AtOrAbove, price, frame, new PositionStanding(quantity, 20000m, bankruptcy));

    [Fact]
    public void Heat_PutsEachEntryWhereItFiresNow_FundingShiftApplied_AndSumsQuantityTimesEntry()
    {
        var index = new TriggerIndex();
        index.Set(Long("a", 19000m, 0.5m, 18500m));
        index.Set(Long("b", 19090m, 0.2m, 18600m));
        index.Set(Short("c", 21000m, 1m, 21500m));
        index.Set(new TriggerEntry(TriggerKey.Liquidation("flat"), TriggerDirection.AtOrBelow, 19050m)); // no standing: an outbox wake-up
        index.Set(new TriggerEntry(new TriggerKey(TriggerOwnerKind.Position, "tp", TriggerKind.TakeProfit), TriggerDirection.AtOrAbove, 21010m));

        Assert.Equal([new HeatCell(10, PositionSide.Long, 14000m, 2), new HeatCell(30, PositionSide.Short, 20000m, 1)],
            index.Heat(18000m, 100m, 40).OrderBy(c => c.Bucket));

        // The longs have paid 150 of funding since shift zero: they fire 150 higher; the shorts 20 lower.
        index.Shift(150m, 20m);
        Assert.Equal([new HeatCell(11, PositionSide.Long, 10000m, 1), new HeatCell(12, PositionSide.Long, 4000m, 1), new HeatCell(29, PositionSide.Short, 20000m, 1)],
            index.Heat(18000m, 100m, 40).OrderBy(c => c.Bucket));
        Assert.Empty(index.Heat(30000m, 100m, 5));
    }

    [Fact]
    public void Stress_PricesWhatEachLiquidationLeavesTheFund_AtTheStressedMark()
    {
        var index = new TriggerIndex();
        index.Set(Long("deficit", 19076.40m, 0.5m, 19000m));
        index.Set(Long("equity", 18072.29m, 1m, 18000m));
        index.Set(Long("safe", 16064.26m, 0.3m, 16000m));

        var stressed = index.Stress(18050m).OrderBy(s => s.Owner).ToList();

        Assert.Equal([("deficit", -475m, 19076.4m), ("equity", 50m, 18072.29m)], stressed.Select(s => (s.Owner, s.ToFund, s.LiquidationPrice)));
    }

    [Fact]
    public void Stress_NamesExactlyTheOwnersATickAtThatMarkWakes_AndWakesNobody() =>
        Gen.Select(
            Gen.Select(Gen.Bool, Gen.Int[18_000_000, 22_000_000], Gen.Int[0, 50_000]).Array[1, 200],
            Gen.Int[0, 300_000], Gen.Int[0, 300_000], Gen.Int[17_900_000, 22_100_000])
        .Sample((entries, longShift, shortShift, mark) =>
        {
            var index = new TriggerIndex();
            for (var i = 0; i < entries.Length; i++)
            {
                var (isLong, price, frame) = entries[i];
                index.Set(isLong ? Long($"o{i}", price / 1000m, 1m, 1m, frame / 1000m) : Short($"o{i}", price / 1000m, 1m, 1m, frame / 1000m));
            }

            index.Shift(longShift / 1000m, shortShift / 1000m);
            var stressed = index.Stress(mark / 1000m).Select(s => s.Owner).Order().ToList();
            Assert.Equal(stressed, index.Stress(mark / 1000m).Select(s => s.Owner).Order().ToList());
            Assert.Equal(stressed, index.Fire(mark / 1000m, Now).Order().ToList());
        });
}
