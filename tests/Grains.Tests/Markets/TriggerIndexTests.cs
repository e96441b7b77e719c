namespace MarginOrleans.Tests.Markets;

public sealed class TriggerIndexTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Fire_VisitsOnlyCrossedEntries_LongsAtOrBelow_ShortsAtOrAbove()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("long-high", TriggerDirection.AtOrBelow, 19_000m));
        index.Set(new TriggerEntry("long-low", TriggerDirection.AtOrBelow, 18_000m));
        index.Set(new TriggerEntry("short-low", TriggerDirection.AtOrAbove, 21_000m));
        index.Set(new TriggerEntry("short-high", TriggerDirection.AtOrAbove, 22_000m));

        Assert.Empty(index.Fire(20_000m));
        Assert.Equal(["long-high"], index.Fire(19_000m));
        Assert.Equal(["short-low", "short-high"], index.Fire(22_000m));
    }

    [Fact]
    public void AFiredOwner_IsWokenOnce_WhileItHasNotAnswered_HoweverManyTicksCross()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 19_000m));

        Assert.Single(index.Fire(18_000m));
        for (var s = 1; s < 60; s++)
        {
            Assert.Empty(index.Fire(18_000m - s));
        }

        Assert.Equal(1, index.Awaited);
    }

    [Fact]
    public void AtMostAWindowOfOwnersIsWoken_AndEachAnswerWakesTheNextInLine_InTheOrderTheyFired()
    {
        var (index, fired) = HundredFired();
        Assert.Equal(100, fired.Count);
        Assert.Equal(fired.Take(64), index.TakeWakeUps(Now));
        Assert.Empty(index.TakeWakeUps(Now));
        Assert.Equal(100, index.Unanswered);

        // A removal and a moved entry are answers; an owner removed while it waited in line is never woken.
        Assert.True(index.Remove(fired[0]));
        Assert.False(index.Register(new TriggerEntry(fired[1], TriggerDirection.AtOrBelow, 17_000m), 18_000m, Now));
        Assert.True(index.Remove(fired[64]));
        Assert.Equal(fired[65..67], index.TakeWakeUps(Now));
        Assert.Equal(97, index.Unanswered);
    }

    [Fact]
    public void AnUnansweredWakeUp_GoesBackInLineAfterATimeoutThatDoubles_SoSilentOwnersDoNotHoldTheWindow()
    {
        var (index, fired) = HundredFired();
        var first = index.TakeWakeUps(Now);
        Assert.Empty(index.Overdue(18_000m, Now + TriggerIndex.AnswerTimeout - TimeSpan.FromMilliseconds(1)));

        // The base timeout plus 1 ms per wake-up in flight: the 64 silent ones go behind the 36 still held.
        var due = Now + TriggerIndex.AnswerTimeout + TimeSpan.FromMilliseconds(64);
        Assert.Equal(first, index.Overdue(18_000m, due));
        Assert.Equal([.. fired[64..], .. first.Take(28)], index.TakeWakeUps(due));

        // A silent owner's second wait is twice the base: the 36 first woken now are due before the 28 woken again.
        var allowance = TimeSpan.FromMilliseconds(64);
        Assert.Equal(fired[64..].Order(), index.Overdue(18_000m, due + TriggerIndex.AnswerTimeout + allowance).Order());
        Assert.Equal(first.Take(28).Order(), index.Overdue(18_000m, due + TriggerIndex.AnswerTimeout * 2 + allowance).Order());
        Assert.Equal(100, index.Awaited);
    }

    [Fact]
    public void AnOverdueOwner_WhoseEntryTheMarkNoLongerCrosses_IsNotWokenAgain()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 19_000m));
        index.Fire(18_000m);
        Assert.Equal(["a"], index.TakeWakeUps(Now));

        Assert.Empty(index.Overdue(20_000m, Now + TimeSpan.FromMinutes(1)));
        Assert.Equal(0, index.Awaited);
        Assert.Single(index.Fire(18_000m));
    }

    [Fact]
    public void Register_BehindTheMark_FiresAtOnce_ButAnOwnerThatKeepsItsEntry_IsAskedAgainOnlyAfterTheTimeout()
    {
        var index = new TriggerIndex();
        var behind = new TriggerEntry("a", TriggerDirection.AtOrBelow, 18_100m);

        Assert.True(index.Register(behind, 18_075m, Now));
        Assert.Equal(["a"], index.TakeWakeUps(Now));
        Assert.Equal(1, index.Unanswered);
        Assert.False(index.Register(behind, 18_075m, Now + TimeSpan.FromSeconds(1)));
        Assert.Equal((1, 0), (index.Awaited, index.Unanswered)); // answered, yet asked again later: not in line now
        Assert.Empty(index.TakeWakeUps(Now + TimeSpan.FromSeconds(1)));
        Assert.Empty(index.Fire(18_050m));
        Assert.Empty(index.Overdue(18_050m, Now + TimeSpan.FromSeconds(10)));
        Assert.Equal(["a"], index.Overdue(18_050m, Now + TimeSpan.FromSeconds(11)));
        Assert.Equal(["a"], index.TakeWakeUps(Now + TimeSpan.FromSeconds(11)));

        // A moved entry is a new answer: behind the mark, it fires at once.
        Assert.True(index.Register(behind with { Price = 18_060m }, 18_050m, Now + TimeSpan.FromSeconds(13)));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_TakesTheEntryOut_AndEndsTheWait()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrAbove, 21_000m));
        index.Fire(30_000m);
        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.Equal(0, index.Awaited);
        Assert.Empty(index.Fire(30_000m));
    }

    /// <summary>A hundred longs the mark of 18,000 crosses, all fired: more than the window wakes at once.</summary>
    private static (TriggerIndex Index, List<string> Fired) HundredFired()
    {
        var index = new TriggerIndex();
        for (var i = 0; i < 100; i++)
        {
            index.Set(new TriggerEntry($"o{i}", TriggerDirection.AtOrBelow, 19_000m - i));
        }

        return (index, index.Fire(18_000m));
    }
}
