namespace MarginOrleans.Tests.Risk;

/// <summary>Trailing stops on exact mark paths (docs/margin-math.md, Trailing stops).</summary>
public sealed class TrailingStopsTests
{
    private static List<TrailingStopFired> Walk(TrailingStops book, params decimal[] marks) => [.. marks.SelectMany(book.Tick)];

    [Fact]
    public void SellOnePercent_FollowsTheHighestMark_AndFiresWhenTheMarkFallsOnePercentFromIt()
    {
        var book = new TrailingStops(100m);
        book.Add("acc-1/stop", PositionSide.Long, 1m);

        Assert.Empty(Walk(book, 105m, 103.96m));                         // peak 105, stop 105 × 0.99 = 103.95
        Assert.Equal([new TrailingStopFired("acc-1/stop", PositionSide.Long, 105m, 103.95m, 103.95m)], book.Tick(103.95m));
        Assert.Equal(0, book.Count);
        Assert.Empty(book.Tick(90m));                                    // fired once, gone
    }

    [Fact]
    public void AMarkThatGapsPastTheStop_FiresAtThatMark()
    {
        var book = new TrailingStops(100m);
        book.Add("a", PositionSide.Long, 2.5m);
        Assert.Equal([new TrailingStopFired("a", PositionSide.Long, 120m, 117m, 80m)], Walk(book, 120m, 117.01m, 80m));
    }

    [Fact]
    public void BuyOnePercent_FollowsTheLowestMark_AndFiresWhenTheMarkRisesOnePercentFromIt()
    {
        var book = new TrailingStops(100m);
        book.Add("b", PositionSide.Short, 1m);

        Assert.Empty(Walk(book, 95m, 95.94m));                           // trough 95, stop 95 × 1.01 = 95.95
        Assert.Equal([new TrailingStopFired("b", PositionSide.Short, 95m, 95.95m, 95.95m)], book.Tick(95.95m));
    }

    [Fact]
    public void ActivationPriceNotReached_NeverFires_ReachedStartsThePeakThere()
    {
        var book = new TrailingStops(100m);
        book.Add("sell", PositionSide.Long, 1m, 110m);
        book.Add("buy", PositionSide.Short, 1m, 90m);

        Assert.Empty(Walk(book, 105m, 109.99m, 91m));
        Assert.Equal([new TrailingStop("sell", PositionSide.Long, 1m, 110m, null), new TrailingStop("buy", PositionSide.Short, 1m, 90m, null)], book.Snapshot());

        Assert.Empty(Walk(book, 89m, 89.88m));                           // the BUY stop activates at 89: stop 89 × 1.01 = 89.89
        Assert.Equal([new TrailingStopFired("buy", PositionSide.Short, 89m, 89.89m, 89.89m)], book.Tick(89.89m));
        Assert.Empty(Walk(book, 50m, 109.99m, 1m));                      // the SELL stop still waits for 110
        Assert.Equal([new TrailingStop("sell", PositionSide.Long, 1m, 110m, null)], book.Snapshot());
    }

    [Fact]
    public void RemovedStop_NeverFires_AndAnAmendmentStartsAgainFromTheMark()
    {
        var book = new TrailingStops(100m);
        book.Add("a", PositionSide.Long, 1m);
        book.Add("b", PositionSide.Long, 1m);
        book.Tick(110m);
        Assert.True(book.Remove("a"));
        Assert.False(book.Remove("a"));
        book.Add("b", PositionSide.Long, 0.5m);                         // amended at 110: a new stop, peak 110

        Assert.Equal([new TrailingStopFired("b", PositionSide.Long, 110m, 109.45m, 109.45m)], Walk(book, 109.46m, 109.45m));
    }

    private static TrailingStops ThreeStopsWithPeaks104_104_103()
    {
        var book = new TrailingStops(100m);
        book.Add("early", PositionSide.Long, 1m);
        book.Tick(104m);
        book.Add("late", PositionSide.Long, 1m);
        book.Tick(103m);
        book.Add("latest", PositionSide.Long, 1m);
        Assert.Equal([104m, 104m, 103m], book.Snapshot().Select(s => s.Peak!.Value));
        return book;
    }

    [Fact]
    public void StopsActivatedAtDifferentTimes_KeepTheirOwnPeaks()
    {
        // Stops 104 × 0.99 = 102.96 and 103 × 0.99 = 101.97.
        var book = ThreeStopsWithPeaks104_104_103();
        Assert.Empty(book.Tick(102.97m));
        Assert.Equal(
            [new TrailingStopFired("early", PositionSide.Long, 104m, 102.96m, 102.96m), new TrailingStopFired("late", PositionSide.Long, 104m, 102.96m, 102.96m)],
            book.Tick(102.96m));
        Assert.Equal([new TrailingStopFired("latest", PositionSide.Long, 103m, 101.97m, 101.97m)], Walk(book, 101.98m, 101.97m));
    }

    [Fact]
    public void ANewHigh_GivesEveryStopBelowItThatPeak()
    {
        // 104.5 passes both peaks: one group, stop 104.5 × 0.99 = 103.455.
        var book = ThreeStopsWithPeaks104_104_103();
        Assert.Empty(Walk(book, 104.5m, 103.456m));
        Assert.Equal([104.5m, 104.5m, 104.5m], book.Snapshot().Select(s => s.Peak!.Value));
        Assert.Equal(["early", "late", "latest"], book.Tick(103.455m).Select(f => f.Owner));
    }

    [Fact]
    public void SnapshotAndRestore_KeepEveryPeakAndTheOrderOfPlacement()
    {
        var book = new TrailingStops(100m);
        book.Add("a", PositionSide.Long, 1m);
        book.Tick(105m);
        book.Add("b", PositionSide.Long, 2m, 106m);
        book.Add("c", PositionSide.Short, 10m);
        book.Tick(103m);

        var restored = TrailingStops.Restore(book.Mark, book.Snapshot());
        Assert.Equal(book.Snapshot(), restored.Snapshot());
        decimal[] path = [107m, 103.95m, 104.86m, 113.3m, 50m];
        Assert.Equal(Walk(book, path), Walk(restored, path));
    }

    [Theory]
    [InlineData(0.1, true)]
    [InlineData(10, true)]
    [InlineData(4.2, true)]
    [InlineData(0, false)]
    [InlineData(0.05, false)]
    [InlineData(10.1, false)]
    [InlineData(1.25, false)]
    public void CallbackRate_IsAPercentFrom0_1To10_OnAStepOf0_1(double rate, bool accepted)
    {
        Assert.Equal(accepted, TrailingStops.IsCallbackRate((decimal)rate));
        var add = () => new TrailingStops(100m).Add("a", PositionSide.Long, (decimal)rate);
        if (!accepted)
        {
            Assert.Throws<ArgumentException>(add);
        }
    }
}
