using MarginOrleans.Operations;
using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// A fund's state is one storage row, and Azure Table takes at most 1 MB an entity: a gap that
/// bankrupts more positions than the fund keeps apart must leave it well under that.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FundRowSizeTests(ClusterFixture fixture)
{
    [Fact]
    public void TwiceAsManyBankruptLiquidationsAsKeptApart_LeaveTheFundsStateUnderAQuarterOfTheRowLimit()
    {
        var fund = new InsuranceFundState();
        for (var i = 0; i < 2 * Shortfall.KeptApart; i++)
        {
            // Ids as a liquidated position names its transfer: its grain key and event number.
            var deficit = new Deficit(PositionSide.Long, 0.123m, 17_000.1m - (i * 0.1m), "BTC-USDT");
            Shortfall.Add(fund.Shortfalls, Shortfall.Of($"load-12878d-{i:D5}/BTC-USDT#{i}", 1_234.56789m, 2_000.123456m, deficit));
        }

        var stored = fixture.Cluster.ServiceProvider.GetRequiredService<Serializer>().SerializeToArray(fund);

        Assert.Equal(Shortfall.KeptApart, fund.Shortfalls.Count);
        Assert.InRange(stored.Length, 1, 256 * 1024);
    }
}
