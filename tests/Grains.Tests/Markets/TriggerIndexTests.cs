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

    [Fact]
    public void AFiredEntry_RefiresOnlyAfterTheCooldown_UnlessItsOwnerMovesIt()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 19_000m));

        Assert.Single(index.Fire(18_000m, Now));
        Assert.Empty(index.Fire(18_000m, Now + TimeSpan.FromSeconds(1)));
        Assert.Single(index.Fire(18_000m, Now + TriggerIndex.RefireAfter));

        index.Set(new TriggerEntry("a", TriggerDirection.AtOrBelow, 18_500m));
        Assert.Single(index.Fire(18_000m, Now + TriggerIndex.RefireAfter));
    }

    [Fact]
    public void Register_BehindTheMark_FiresAtOnce_ButNotInALoop()
    {
        var index = new TriggerIndex();
        var behind = new TriggerEntry("a", TriggerDirection.AtOrBelow, 18_100m);

        Assert.True(index.Register(behind, 18_075m, Now));
        Assert.False(index.Register(behind, 18_075m, Now + TimeSpan.FromSeconds(1)));
        Assert.False(index.Register(behind with { Price = 18_000m }, 18_075m, Now + TimeSpan.FromSeconds(2)));
        Assert.True(index.Register(behind, 18_075m, Now + TimeSpan.FromSeconds(10)));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_TakesTheEntryOut()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("a", TriggerDirection.AtOrAbove, 21_000m));
        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.Empty(index.Fire(30_000m, Now));
    }
}
