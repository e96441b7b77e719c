using MarginOrleans.Markets;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// A wake-up names the entry that fired, and its owner answers that entry even when it no longer
/// holds it: a row whose removal a crash lost (put here straight into the shard, as a restarted shard
/// loads such a row) wakes its owner once, which removes it. Until it does, the market counts an
/// unanswered owner and refuses new risk; so each test ends with the market worked off and counting
/// only what the owners hold. Long 1 @ 20,000, 10x: liquidated below 18,072.29.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeftoverEntryTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    [Fact]
    public async Task APositionsTakeProfit_ItHasRemoved_IsRemovedAgainWhenItFires_AndClosesNothing()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        await Open(account, symbol, PositionSide.Long, 1m, 10);
        Assert.True((await account.SetTakeProfitStopLoss(RequestId(), symbol, 21_000m, null)).Result.IsOk);
        Assert.True((await account.SetTakeProfitStopLoss(RequestId(), symbol, null, null)).Result.IsOk); // known removed from here on

        var takeProfit = new TriggerKey(TriggerOwnerKind.Position, account.GetPrimaryKeyString(), TriggerKind.TakeProfit);
        await Leftover(symbol, new TriggerEntry(takeProfit, TriggerDirection.AtOrAbove, 21_000m));
        await trading.Price(symbol, 21_000m);

        await trading.LiquidationsWorkedOff(symbol);
        Assert.Equal(1, await Entries(symbol)); // the position's liquidation price only
        Assert.Equal(1m, (await account.GetPosition(symbol))!.Quantity);
        await trading.AssertConserved();
    }

    [Fact]
    public async Task TheBandOfACrossLegSinceClosed_IsRemovedWhenItFires_WhileTheOtherLegIsHeld()
    {
        var symbol = await trading.Market(20_000m);
        var account = await CrossHedge(symbol);
        await account.OpenPosition(RequestId(), Leg(symbol, PositionSide.Long, LegSide.Long));
        await account.OpenPosition(RequestId(), Leg(symbol, PositionSide.Short, LegSide.Short));
        Assert.True((await account.ClosePosition(RequestId(), new LegKey(symbol, LegSide.Short), null)).Result.IsOk);

        var band = TriggerKey.Band(account.GetPrimaryKeyString(), LegSide.Short);
        await Leftover(symbol, new TriggerEntry(band, TriggerDirection.AtOrAbove, 20_500m));
        await trading.Price(symbol, 20_500m);
        await WorkedOffHoldingTheLongLegOnly(symbol, account);
    }

    [Fact]
    public async Task ACrossTakeProfitOfALegNotHeld_IsRemovedWhenItFires()
    {
        var symbol = await trading.Market(20_000m);
        var account = await CrossHedge(symbol);
        await account.OpenPosition(RequestId(), Leg(symbol, PositionSide.Long, LegSide.Long));

        var takeProfit = new TriggerKey(TriggerOwnerKind.CrossAccount, account.GetPrimaryKeyString(), TriggerKind.TakeProfit, LegSide.Short);
        await Leftover(symbol, new TriggerEntry(takeProfit, TriggerDirection.AtOrBelow, 19_500m));
        await trading.Price(symbol, 19_500m);
        await WorkedOffHoldingTheLongLegOnly(symbol, account);
    }

    [Fact]
    public async Task AnEntryRankedForDeleveraging_WhoseOwnerHoldsNothing_IsRemovedWhenItsStepIsRefused()
    {
        // Long 1 @ 20,000, 10x gaps to 17,000: deficit 1,000, the fund empty. A leftover short entry
        // (never crossed on the way down) ranks first, like a 20x short; its account holds nothing.
        var symbol = await trading.Market(20_000m);
        var bankrupt = await trading.Account(10_000m);
        await Open(bankrupt, symbol, PositionSide.Long, 1m, 10);
        var shortHolder = await trading.Account(10_000m);
        await Open(shortHolder, symbol, PositionSide.Short, 2m, 10);
        var ghost = await trading.Account(1_000m);
        var standing = new PositionStanding(Quantity: 0.5m, EntryPrice: 20_000m, BankruptcyPrice: 21_000m);
        await Leftover(symbol, new TriggerEntry(TriggerKey.Liquidation(ghost.GetPrimaryKeyString()), TriggerDirection.AtOrAbove, 30_000m, standing: standing));

        await trading.Price(symbol, 17_000m);
        await trading.Settled(async () => await trading.Fund(symbol) is { Owed: 0m, Paid: >= 1_000m }, "auto-deleveraging to cover the fund");

        Assert.Equal(1m, (await shortHolder.GetPosition(symbol))!.Quantity); // 1,000 at 18,000 a unit: 1 of its 2
        Assert.Equal(1, await Entries(symbol)); // the short's liquidation price; the leftover is gone
        Assert.Equal(1_000m, (await ghost.GetAccount())!.WalletBalance);
        await trading.AssertConserved();
    }

    /// <summary>The leftover answered: the market worked off, counting only the long leg's band, the one position held.</summary>
    private async Task WorkedOffHoldingTheLongLegOnly(string symbol, IAccountGrain account)
    {
        await trading.LiquidationsWorkedOff(symbol);
        Assert.Equal(1, await Entries(symbol));
        Assert.Equal([LegSide.Long], (await account.GetAccount())!.Positions.Select(p => p.LegSide));
        await trading.AssertConserved();
    }

    private static OpenOrder Leg(string symbol, PositionSide side, LegSide leg) => new(symbol, side, 1m, 10, null, LegSide: leg);

    private async Task<IAccountGrain> CrossHedge(string symbol)
    {
        var account = await trading.Account(10_000m);
        Assert.True((await account.SetPositionMode(RequestId(), PositionMode.Hedge)).Result.IsOk);
        await Mode(account, symbol, MarginMode.Cross);
        return account;
    }

    /// <summary>An entry in the shard its key hashes to, as a restarted shard loads a row whose removal was lost.</summary>
    private async Task Leftover(string symbol, TriggerEntry entry)
    {
        var market = (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!;
        await fixture.Grains.For(market.Spec, entry.Owner).Register(entry, market.MarkPrice);
    }

    /// <summary>The entries the market's shards hold, as the next tick reports them.</summary>
    private async Task<int> Entries(string symbol)
    {
        var mark = (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.MarkPrice;
        await trading.Price(symbol, mark);
        return (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.TriggerCount;
    }
}
