using MarginOrleans.Risk;

namespace MarginOrleans.Tests.Risk;

public sealed class RiskBracketsTests
{
    [Fact]
    public void MaintenanceAmounts_DeriveTheB3Table()
    {
        var cums = Tables.B3.Tiers.Select(t => t.MaintenanceAmount).ToArray();
        Assert.Equal([0m, 50m, 1_300m, 16_300m, 266_300m, 1_266_300m, 2_516_300m, 5_016_300m, 25_016_300m, 100_016_300m], cums);
    }

    [Fact]
    public void T1_MaintenanceAmountOfTheThirdBracket_Is1300()
    {
        // 250,000 × (1% − 0.5%) + 50
        Assert.Equal(1_300m, Tables.B3.Tiers[2].MaintenanceAmount);
    }

    [Fact]
    public void T2_PositionOf264000_UsesOnePercentAndPays1340()
    {
        var bracket = Tables.B3.For(264_000m)!;
        Assert.Equal(0.01m, bracket.MaintenanceMarginRate);
        Assert.Equal(1_340m, Tables.B3.MaintenanceMargin(264_000m));
    }

    [Fact]
    public void MaintenanceMargin_IsContinuousAtEveryFloor()
    {
        var tiers = Tables.B3.Tiers;
        for (var i = 1; i < tiers.Count; i++)
        {
            Assert.Equal(tiers[i - 1].MaintenanceMargin(tiers[i].NotionalFloor), tiers[i].MaintenanceMargin(tiers[i].NotionalFloor));
        }
    }

    [Fact]
    public void For_BeyondTheLastCap_IsNull()
    {
        Assert.Null(Tables.B3.For(500_000_000m));
        Assert.Equal(9, Tables.B3.Tiers.ToList().IndexOf(Tables.B3.For(499_999_999.99m)!));
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
