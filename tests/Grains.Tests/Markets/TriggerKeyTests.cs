namespace MarginOrleans.Tests.Markets;

public sealed class TriggerKeyTests
{
    public static TheoryData<string, TriggerOwnerKind, string, TriggerKind, LegSide> Texts => new()
    {
        // The two forms stored before triggers had kinds (and before legs) read back as they were meant.
        { "acc-1", TriggerOwnerKind.Position, "acc-1", TriggerKind.Liquidation, LegSide.Both },
        { "x:acc-1", TriggerOwnerKind.CrossAccount, "acc-1", TriggerKind.Liquidation, LegSide.Both },
        { "tp:acc_2", TriggerOwnerKind.Position, "acc_2", TriggerKind.TakeProfit, LegSide.Both },
        { "sl:acc_2", TriggerOwnerKind.Position, "acc_2", TriggerKind.StopLoss, LegSide.Both },
        { "xtp:A", TriggerOwnerKind.CrossAccount, "A", TriggerKind.TakeProfit, LegSide.Both },
        { "xsl:A", TriggerOwnerKind.CrossAccount, "A", TriggerKind.StopLoss, LegSide.Both },
        { "acc-1.LONG", TriggerOwnerKind.Position, "acc-1", TriggerKind.Liquidation, LegSide.Long },
        { "sl:acc_2.SHORT", TriggerOwnerKind.Position, "acc_2", TriggerKind.StopLoss, LegSide.Short },
        { "xtp:A.LONG", TriggerOwnerKind.CrossAccount, "A", TriggerKind.TakeProfit, LegSide.Long },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void EveryKind_RoundTripsThroughItsText(string text, TriggerOwnerKind owner, string accountId, TriggerKind kind, LegSide leg)
    {
        var key = TriggerKey.Parse(text);
        Assert.Equal(new TriggerKey(owner, accountId, kind, leg), key);
        Assert.Equal(text, key.ToString());
        Assert.Equal(new LegKey("ETH-USDT", leg), key.LegOn("ETH-USDT"));
    }

    [Fact]
    public void TheTwoLegsOfASymbol_AreTwoTriggersOfOneIndex()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry(TriggerKey.Liquidation("a", LegSide.Long), TriggerDirection.AtOrBelow, 19_000m));
        index.Set(new TriggerEntry(TriggerKey.Liquidation("a", LegSide.Short), TriggerDirection.AtOrAbove, 23_000m));

        Assert.Equal(2, index.Count);
        Assert.Equal(["a.SHORT"], index.Fire(23_000m, DateTimeOffset.UnixEpoch));
        Assert.Equal(["a.LONG"], index.Fire(19_000m, DateTimeOffset.UnixEpoch));
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
