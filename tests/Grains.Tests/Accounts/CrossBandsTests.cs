using static MarginOrleans.Tests.Accounts.CrossAccounts;

namespace MarginOrleans.Tests.Accounts;

/// <summary>The cross account's bands on their own: which band each symbol needs, and which change goes before the state write.</summary>
public sealed class CrossBandsTests
{
    private readonly AccountState account = new() { WalletBalance = 1_000m, CrossPositions = { ["X-USDT"] = Long(1m, 20_000m) } };

    [Fact]
    public void ASolventAccount_GetsABandWhereItsExcessIsUsedUp()
    {
        // uPnL −500, MM 19,500 × 0.4% = 78: excess 422. The band is the isolated price with collateral
        // 422 + 500 + 78 = 1,000: (20,000 − 1,000) / 0.996 = 19,076.305220883…, rounded up toward the mark.
        var plan = new CrossBands().Plan(account, "acc", MarketsOf(Market("X-USDT", 19_500m)), out var wake);

        var band = Assert.Single(plan).Value!;
        Assert.Equal(("x:acc", TriggerDirection.AtOrBelow, 19_076.30522089m), (band.Owner, band.Direction, band.Price));
        Assert.Equal(new PositionStanding(1m, 20_000m, 19_000m), band.Standing);
        Assert.Null(wake);
    }

    [Fact]
    public void AnAccountAtMaintenance_GetsBandsAtTheMarks_AndAWakeUp()
    {
        account.WalletBalance = 100m; // margin balance −400

        var plan = new CrossBands().Plan(account, "acc", MarketsOf(Market("X-USDT", 19_500m)), out var wake);

        Assert.Equal(19_500m, plan["X-USDT"]!.Price);
        Assert.Equal("X-USDT", wake);
    }

    [Fact]
    public void ABandThatFiresNoLater_GoesBeforeTheWrite_AnyOtherAfter()
    {
        var bands = new CrossBands();
        var markets = MarketsOf(Market("X-USDT", 19_500m));
        var first = bands.Plan(account, "acc", markets, out _);
        Assert.Empty(bands.BeforeWrite(first)); // nothing known published yet: all go after
        Assert.Single(bands.Changed(first));
        bands.Published("X-USDT", first["X-USDT"]);
        bands.AllPublished();
        Assert.Empty(bands.Changed(first));

        account.WalletBalance = 900m; // less excess: the band moves up, toward the mark, and fires earlier
        var closer = bands.Plan(account, "acc", markets, out _);
        Assert.Equal([("X-USDT", closer["X-USDT"])], bands.BeforeWrite(closer));

        account.WalletBalance = 1_100m; // more excess: the band moves away; published only once the state says so
        var farther = bands.Plan(account, "acc", markets, out _);
        Assert.Empty(bands.BeforeWrite(farther));
        Assert.Equal([("X-USDT", farther["X-USDT"])], bands.Changed(farther));
    }

    [Fact]
    public void ASymbolNoLongerHeld_HasItsBandRemoved()
    {
        var bands = new CrossBands();
        bands.Published("X-USDT", bands.Plan(account, "acc", MarketsOf(Market("X-USDT", 19_500m)), out _)["X-USDT"]);
        account.CrossPositions.Clear();

        Assert.Equal(new Dictionary<string, TriggerEntry?> { ["X-USDT"] = null }, bands.Plan(account, "acc", MarketsOf(), out _));
    }
}
