namespace MarginOrleans.Tests.Markets;

public sealed class TriggerKeyTests
{
    public static TheoryData<string, TriggerOwnerKind, string, TriggerKind> Texts => new()
    {
        // The two forms stored before triggers had kinds read back as they were meant.
        { "acc-1", TriggerOwnerKind.Position, "acc-1", TriggerKind.Liquidation },
        { "x:acc-1", TriggerOwnerKind.CrossAccount, "acc-1", TriggerKind.Liquidation },
        { "tp:acc_2", TriggerOwnerKind.Position, "acc_2", TriggerKind.TakeProfit },
        { "sl:acc_2", TriggerOwnerKind.Position, "acc_2", TriggerKind.StopLoss },
        { "xtp:A", TriggerOwnerKind.CrossAccount, "A", TriggerKind.TakeProfit },
        { "xsl:A", TriggerOwnerKind.CrossAccount, "A", TriggerKind.StopLoss },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void EveryKind_RoundTripsThroughItsText(string text, TriggerOwnerKind owner, string accountId, TriggerKind kind)
    {
        var key = TriggerKey.Parse(text);
        Assert.Equal(new TriggerKey(owner, accountId, kind), key);
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void OnePositionsTriggers_AreThreeEntriesOfOneIndex()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry(TriggerKey.Liquidation("a"), TriggerDirection.AtOrBelow, 19_000m));
        index.Set(new TriggerEntry(new TriggerKey(TriggerOwnerKind.Position, "a", TriggerKind.StopLoss), TriggerDirection.AtOrBelow, 19_500m));
        index.Set(new TriggerEntry(new TriggerKey(TriggerOwnerKind.Position, "a", TriggerKind.TakeProfit), TriggerDirection.AtOrAbove, 22_000m));

        Assert.Equal(3, index.Count);
        Assert.Equal(["sl:a"], index.Fire(19_400m, DateTimeOffset.UnixEpoch));
        Assert.Equal(["a"], index.Fire(18_000m, DateTimeOffset.UnixEpoch));
        Assert.Equal(["tp:a"], index.Fire(22_000m, DateTimeOffset.UnixEpoch));
    }
}
