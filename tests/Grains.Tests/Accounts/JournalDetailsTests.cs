using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Accounts;

/// <summary>Each setting is journaled in its own field; a row's quantity is the position's, never the setting.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JournalDetailsTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task Settings_AreJournaledInTheirOwnFields_WithThePositionsQuantity()
    {
        var (btc, eth) = (await trading.Market(20_000m), await trading.Market(1_000m));
        var account = await trading.Account(10_000m);

        Assert.True((await account.SetLeverage(RequestId(), btc, 20)).Result.IsOk);          // flat, isolated
        await Mode(account, btc, MarginMode.Cross);
        Assert.True((await account.SetLeverage(RequestId(), btc, 15)).Result.IsOk);          // flat, cross
        await Open(account, btc, PositionSide.Long, 0.5m, 10);
        Assert.True((await account.SetLeverage(RequestId(), btc, 20)).Result.IsOk);          // open cross 0.5
        await Open(account, eth, PositionSide.Short, 2m, 10);                               // isolated margin 200
        Assert.True((await account.SetLeverage(RequestId(), eth, 5)).Result.IsOk);           // open isolated 2: IM 400, 200 more
        Assert.True((await account.SetRiskPolicy(RequestId(), 50)).Result.IsOk);

        var journal = await account.GetJournal(1, 100);
        Assert.Equal(
            [
                (JournalKind.LeverageSet, btc, 0m, 0m, (int?)20, (MarginMode?)null, (int?)null),
                (JournalKind.MarginModeSet, btc, 0m, 0m, null, MarginMode.Cross, null),
                (JournalKind.LeverageSet, btc, 0m, 0m, 15, null, null),
                (JournalKind.LeverageSet, btc, 0.5m, 0m, 20, null, null),
                (JournalKind.LeverageSet, eth, 2m, -200m, 5, null, null),
                (JournalKind.RiskPolicySet, "", 0m, 0m, null, null, 50),
            ],
            journal.Where(e => e.Kind is JournalKind.LeverageSet or JournalKind.MarginModeSet or JournalKind.RiskPolicySet)
                .Select(e => (e.Kind, e.Symbol, e.Quantity, e.WalletDelta, e.Leverage, e.MarginMode, e.LeverageCap)));
        Assert.All(journal, e => Assert.Null(e.Fund));
        await trading.AssertConserved();
    }
}
