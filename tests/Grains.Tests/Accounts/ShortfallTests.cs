using MarginOrleans.Operations;

namespace MarginOrleans.Tests.Accounts;

/// <summary>What a fund owes, per bankrupt liquidation: money collected for one shortfall pays that one first.</summary>
public sealed class ShortfallTests
{
    [Fact]
    public void Cover_PaysTheShortfallItWasCollectedFor_ThenTheOldest()
    {
        var (a, b, c) = (Shortfall.Of("a", 100m, 100m, null), Shortfall.Of("b", 50m, 50m, null), Shortfall.Of("c", 30m, 30m, null));
        var shortfalls = new List<Shortfall> { a, b, c };

        Shortfall.Cover(shortfalls, 60m, first: "b");
        Assert.Equal([("a", 90m), ("c", 30m)], shortfalls.Select(s => (s.Id, s.Remaining)));

        Shortfall.Cover(shortfalls, 100m);
        Assert.Equal([("c", 20m)], shortfalls.Select(s => (s.Id, s.Remaining)));
    }

    [Fact]
    public void Of_PutsTheBankruptcyPriceTheDeficitPerUnitFromTheMark_AgainstTheBankruptSide()
    {
        // Long 2 closed at 17,000 with a deficit of 2,000: 1,000 a unit, bankruptcy price 18,000; a short mirrors it.
        var longs = Shortfall.Of("l", 700m, 2_000m, new Deficit(PositionSide.Long, 2m, 17_000m, "BTC-USDT"));
        var shorts = Shortfall.Of("s", 700m, 2_000m, new Deficit(PositionSide.Short, 2m, 17_000m, "BTC-USDT"));

        Assert.Equal((1_000m, 18_000m, PositionSide.Short, true), (longs.PerUnit, longs.BankruptcyPrice, longs.Counterparty, longs.CanDeleverage));
        Assert.Equal((16_000m, PositionSide.Long), (shorts.BankruptcyPrice, shorts.Counterparty));
        Assert.False(Shortfall.Of("x", 1m, 1m, null).CanDeleverage);
    }

    [Fact]
    public void PastTheBound_AShortfallJoinsTheNewestOfItsMarketAndSide_SoTheFundsRowStaysBounded()
    {
        var shortfalls = Enumerable.Range(0, Shortfall.KeptApart)
            .Select(i => Shortfall.Of($"l{i}", 10m, 20m, new Deficit(PositionSide.Long, 1m, 17_000m - i, "BTC-USDT"))).ToList();
        var newest = shortfalls[^1];

        Shortfall.Add(shortfalls, Shortfall.Of("late", 7m, 8m, new Deficit(PositionSide.Long, 2m, 15_000m, "BTC-USDT")));
        Shortfall.Add(shortfalls, Shortfall.Of("other side", 3m, 3m, new Deficit(PositionSide.Short, 1m, 21_000m, "BTC-USDT")));
        Shortfall.Add(shortfalls, Shortfall.Of("no deficit", 2m, 2m, null));

        // The long joins the newest long (17m owed at its price, 16,001 + 20); the short and the one with no side stand apart: none of theirs yet.
        Assert.Equal(Shortfall.KeptApart + 2, shortfalls.Count);
        Assert.Equal(("l999", 17m, 20m, 16_021m), (newest.Id, newest.Remaining, newest.PerUnit, newest.BankruptcyPrice));
        Assert.Equal((10_000m + 7m + 3m + 2m, "no deficit"), (shortfalls.Sum(s => s.Remaining), shortfalls[^1].Id));

        Shortfall.Add(shortfalls, Shortfall.Of("second short", 4m, 4m, new Deficit(PositionSide.Short, 1m, 21_000m, "BTC-USDT")));
        Assert.Equal((Shortfall.KeptApart + 2, 7m), (shortfalls.Count, shortfalls.Single(s => s.Id == "other side").Remaining));
    }
}
