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

        Assert.Empty(index.Fire(20_000m, Now));
        Assert.Equal(["long-high"], index.Fire(19_000m, Now));
        Assert.Equal(["short-low", "short-high"], index.Fire(22_000m, Now));
    }

    /// <summary>What lets a shard answer a registration before its row is written: the entry held (its row) fires at every mark the new one fires at.</summary>
    [Fact]
    public void FiresNoLaterThan_HoldsForAMoveAwayFromTheMark_InTheSameLane()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("long", TriggerDirection.AtOrBelow, 18_000m));
        index.Set(new TriggerEntry("short", TriggerDirection.AtOrAbove, 22_000m));
        index.Set(new TriggerEntry("tp:long", TriggerDirection.AtOrAbove, 25_000m));

        Assert.True(index.FiresNoLaterThan(new TriggerEntry("long", TriggerDirection.AtOrBelow, 17_000m)));      // more margin
        Assert.True(index.FiresNoLaterThan(new TriggerEntry("long", TriggerDirection.AtOrBelow, 18_000m)));      // its ranking figures moved
        Assert.False(index.FiresNoLaterThan(new TriggerEntry("long", TriggerDirection.AtOrBelow, 18_000.01m)));  // less margin
        Assert.True(index.FiresNoLaterThan(new TriggerEntry("long", TriggerDirection.AtOrBelow, 18_010m, 20m))); // priced after 20 of funding: 17,990 at shift zero
        Assert.False(index.FiresNoLaterThan(new TriggerEntry("long", TriggerDirection.AtOrBelow, 18_030m, 20m)));
        Assert.True(index.FiresNoLaterThan(new TriggerEntry("short", TriggerDirection.AtOrAbove, 23_000m)));
        Assert.False(index.FiresNoLaterThan(new TriggerEntry("short", TriggerDirection.AtOrAbove, 21_999.99m)));
        Assert.True(index.FiresNoLaterThan(new TriggerEntry("tp:long", TriggerDirection.AtOrAbove, 26_000m)));   // a take-profit further out
        Assert.False(index.FiresNoLaterThan(new TriggerEntry("tp:long", TriggerDirection.AtOrBelow, 26_000m)));  // another lane
        Assert.False(index.FiresNoLaterThan(new TriggerEntry("new", TriggerDirection.AtOrBelow, 1m)));           // nothing held
    }

    [Fact]
    public void AFiredOwner_IsWokenOnce_WhileItHasNotAnswered_HoweverManyTicksCross()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 19_000m));

        Assert.Single(index.Fire(18_000m, Now));
        for (var s = 1; s < 60; s++)
        {
            Assert.Empty(index.Fire(18_000m - s, Now + TimeSpan.FromSeconds(s)));
        }

        Assert.Equal(1, index.Awaited);
    }

    [Fact]
    public void AnUnansweredWakeUp_IsRepeatedWithoutATick_AfterATimeoutThatDoublesAndGrowsWithTheBacklog()
    {
        var index = new TriggerIndex();
        for (var i = 0; i < 1000; i++)
        {
            index.Set(new TriggerEntry($"o{i}", TriggerDirection.AtOrBelow, 19_000m));
        }

        Assert.Equal(1000, index.Fire(18_000m, Now).Count);
        Assert.Empty(index.Overdue(18_000m, Now + TriggerIndex.AnswerTimeout - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(1000, index.Overdue(18_000m, Now + TimeSpan.FromSeconds(6)).Count);

        // The second wait is twice the base: nothing is due 6 s later, all of it 12 s later.
        Assert.Empty(index.Overdue(18_000m, Now + TimeSpan.FromSeconds(12)));
        Assert.Equal(1000, index.Overdue(18_000m, Now + TimeSpan.FromSeconds(18)).Count);
    }

    [Fact]
    public void AnOverdueOwner_WhoseEntryTheMarkNoLongerCrosses_IsNotWokenAgain()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 19_000m));
        index.Fire(18_000m, Now);

        Assert.Empty(index.Overdue(20_000m, Now + TimeSpan.FromMinutes(1)));
        Assert.Equal(0, index.Awaited);
        Assert.Single(index.Fire(18_000m, Now + TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Register_BehindTheMark_FiresAtOnce_ButAnOwnerThatKeepsItsEntry_IsAskedAgainOnlyAfterTheTimeout()
    {
        var index = new TriggerIndex();
        var behind = new TriggerEntry("a", TriggerDirection.AtOrBelow, 18_100m);

        Assert.True(index.Register(behind, 18_075m, Now));
        Assert.Equal(1, index.Unanswered);
        Assert.False(index.Register(behind, 18_075m, Now + TimeSpan.FromSeconds(1)));
        Assert.Equal((1, 0), (index.Awaited, index.Unanswered)); // answered, yet asked again later
        Assert.Empty(index.Fire(18_050m, Now + TimeSpan.FromSeconds(2)));
        Assert.Equal(["a"], index.Overdue(18_050m, Now + TimeSpan.FromSeconds(12)));

        // A moved entry is a new answer: behind the mark, it fires at once.
        Assert.True(index.Register(behind with { Price = 18_060m }, 18_050m, Now + TimeSpan.FromSeconds(13)));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void AnAwaitedOwner_ThatRegistersADurableWakeUp_HasAnswered_AndIsAskedAgainOnlyAfterTheLongestTimeout()
    {
        var (index, key) = OneFired();

        // Liquidated, its report slow to deliver: the position swaps its fired entry for a wake-up every mark crosses.
        Assert.False(index.Register(DurableWakeUp.For(key), 18_050m, Now + TimeSpan.FromSeconds(10)));
        Assert.Equal((1, 0), (index.Awaited, index.Unanswered));
        Assert.Empty(index.Fire(18_040m, Now + TimeSpan.FromSeconds(11)));

        // Its outbox retries on its own: the shard asks whether it still delivers only after the longest timeout.
        Assert.Empty(index.Overdue(18_040m, Now + TimeSpan.FromSeconds(69)));
        Assert.Equal([key.ToString()], index.Overdue(18_040m, Now + TimeSpan.FromSeconds(70)));

        // Registered by an owner nobody woke (a new activation, say), it fires at once like any entry behind the mark.
        var other = TriggerKey.Liquidation("b");
        Assert.True(index.Register(DurableWakeUp.For(other), 18_040m, Now + TimeSpan.FromSeconds(21)));
    }

    /// <summary>A liquidated position keeping its fired entry while it delivers says so: asked again only after the longest timeout, and no tick wakes it meanwhile.</summary>
    [Fact]
    public void AnAwaitedOwner_ThatIsDelivering_IsAskedAgainOnlyAfterTheLongestTimeout()
    {
        var (index, key) = OneFired();

        index.Delivering(key.ToString(), Now + TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), (index.Awaited, index.Unanswered));
        Assert.Empty(index.Fire(18_040m, Now + TimeSpan.FromSeconds(2)));
        Assert.Empty(index.Overdue(18_040m, Now + TimeSpan.FromSeconds(60)));
        Assert.Equal([key.ToString()], index.Overdue(18_040m, Now + TimeSpan.FromSeconds(61)));

        // An owner nobody awaits (a shard activated since) is not awaited by saying so.
        var other = TriggerKey.Liquidation("b");
        index.Set(new TriggerEntry(other, TriggerDirection.AtOrBelow, 18_100m));
        index.Delivering(other.ToString(), Now + TimeSpan.FromSeconds(62));
        Assert.Equal(1, index.Awaited);
    }

    /// <summary>A woken owner answers after its own write, which first waits its turn in the silo's storage queue.</summary>
    [Fact]
    public void AWokenOwner_IsGivenTheStorageQueuesWait_OnTopOfTheAnswerTimeout()
    {
        var (index, key) = OneFired(() => TimeSpan.FromSeconds(30));

        Assert.Empty(index.Overdue(18_050m, Now + TriggerIndex.AnswerTimeout + TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1)));
        Assert.Equal([key.ToString()], index.Overdue(18_050m, Now + TriggerIndex.AnswerTimeout + TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// An owner's write joins the storage queue after its wake-up, behind what arrived meanwhile: while
    /// a queue stands that its write may still be in, it is not asked again; once the queue is gone, it is.
    /// </summary>
    [Fact]
    public void AWokenOwner_IsNotAskedAgainWhileTheStorageQueueThatGrewAfterItsWakeUpStands()
    {
        var queue = TimeSpan.Zero;
        var (index, key) = OneFired(() => queue);

        queue = TimeSpan.FromSeconds(30);
        var pastTimeout = Now + TriggerIndex.AnswerTimeout;
        Assert.Empty(index.Overdue(18_050m, pastTimeout + TimeSpan.FromSeconds(29)));

        queue = TimeSpan.FromSeconds(2);
        Assert.Empty(index.Overdue(18_050m, pastTimeout + TimeSpan.FromSeconds(1)));
        Assert.Equal([key.ToString()], index.Overdue(18_050m, pastTimeout + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Remove_TakesTheEntryOut_AndEndsTheWait()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrAbove, 21_000m));
        index.Fire(30_000m, Now);
        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.Equal(0, index.Awaited);
        Assert.Empty(index.Fire(30_000m, Now));
    }

    /// <summary>An index holding one liquidation entry at 18,100, fired by a mark of 18,050 at <see cref="Now"/>.</summary>
    private static (TriggerIndex Index, TriggerKey Key) OneFired(Func<TimeSpan>? storageWait = null)
    {
        var index = new TriggerIndex(storageWait);
        var key = TriggerKey.Liquidation("a");
        index.Set(new TriggerEntry(key, TriggerDirection.AtOrBelow, 18_100m));
        Assert.Single(index.Fire(18_050m, Now));
        return (index, key);
    }
}
