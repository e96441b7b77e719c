using static MarginOrleans.Tests.Accounts.CrossAccounts;

namespace MarginOrleans.Tests.Accounts;

/// <summary>Cross funding settled on its own: each position pays what the cumulative index moved since it last settled.</summary>
public sealed class CrossFundingSettlementTests
{
    [Fact]
    public void EachPosition_PaysOrReceivesItsIndexMove_AgainstTheHouse_OnceForEachNewPoint()
    {
        var account = new AccountState
        {
            WalletBalance = 1_000m,
            CrossPositions =
            {
                ["X-USDT"] = Long(2m, 100m),
                ["Y-USDT"] = Short(1m, 50m, funding: new FundingPoint(0.5m, 0m, 0m, 1)),
                ["Z-USDT"] = Long(3m, 10m, funding: new FundingPoint(0.2m, 0m, 0m, 1)),
            },
        };
        var markets = MarketsOf(
            Market("X-USDT", 100m, new FundingPoint(0.3m, 0m, 0m, 2)),
            Market("Y-USDT", 50m, new FundingPoint(0.9m, 0m, 0m, 2)),
            Market("Z-USDT", 10m, new FundingPoint(0.7m, 0m, 0m, 1))); // no new funding time since Z settled

        // X long 2 × 0.3 = 0.6 paid; Y short 1 × (0.9 − 0.5) = 0.4 received.
        Assert.Equal([(LegKey.Both("X-USDT"), 2m, -0.6m), (LegKey.Both("Y-USDT"), 1m, 0.4m)], new CrossFunding(account, markets).Settle());
        Assert.Equal((999.8m, 0.2m), (account.WalletBalance, account.HouseLeg));
        Assert.Empty(new CrossFunding(account, markets).Settle());
    }
}
