using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

public sealed class RiskBracketsTests
{
    [Fact]
    public void MaintenanceAmounts_DeriveTheExampleTable()
    {
        var cums = Tables.Example.Tiers.Select(t => t.MaintenanceAmount).ToArray();
        Assert.Equal([0m, 50m, 1_300m, 16_300m, 266_300m, 1_266_300m, 2_516_300m, 5_016_300m, 25_016_300m, 100_016_300m], cums);
    }

    [Fact]
    public void MaintenanceAmountOfTheThirdBracket_Is1300()
    {
        // 250,000 × (1% − 0.5%) + 50
        Assert.Equal(1_300m, Tables.Example.Tiers[2].MaintenanceAmount);
    }

    [Fact]
    public void PositionOf264000_UsesOnePercentAndPays1340()
    {
        var bracket = Tables.Example.For(264_000m)!;
        Assert.Equal(0.01m, bracket.MaintenanceMarginRate);
        Assert.Equal(1_340m, Tables.Example.MaintenanceMargin(264_000m));
    }

    [Fact]
    public void MaintenanceMargin_IsContinuousAtEveryFloor()
    {
        var tiers = Tables.Example.Tiers;
        for (var i = 1; i < tiers.Count; i++)
        {
            Assert.Equal(tiers[i - 1].MaintenanceMargin(tiers[i].NotionalFloor), tiers[i].MaintenanceMargin(tiers[i].NotionalFloor));
        }
    }

    [Fact]
    public void For_BeyondTheLastCap_IsNull()
    {
        Assert.Null(Tables.Example.For(500_000_000m));
        Assert.Equal(9, Tables.Example.Tiers.ToList().IndexOf(Tables.Example.For(499_999_999.99m)!));
    }

    [Theory]
    [InlineData(50_000, "0.004", 125, 40_000, "0.005", 100, "must be above its floor")]
    [InlineData(50_000, "0.004", 125, 250_000, "0.004", 100, "must rise above")]
    [InlineData(50_000, "0.004", 125, 250_000, "0.005", 150, "not above the previous")]
    [InlineData(50_000, "0.01", 125, 250_000, "0.02", 20, "must be below 1/125")]
    public void Create_RejectsInconsistentTables(int cap1, string rate1, int lev1, int cap2, string rate2, int lev2, string error)
    {
        var table = RiskBrackets.Create([(cap1, decimal.Parse(rate1), lev1), (cap2, decimal.Parse(rate2), lev2)], out var message);
        Assert.Null(table);
        Assert.Contains(error, message);
    }
}
