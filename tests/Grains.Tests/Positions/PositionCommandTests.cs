using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Positions;

/// <summary>Each position command is its own record; a kind the position does not know is an error, never another command.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PositionCommandTests(ClusterFixture fixture)
{
    private readonly Trading trading = new(fixture.Grains);

    /// <summary>Before, the switch's default arm removed margin: any new kind would have taken money out of the position.</summary>
    [Fact]
    public async Task UnknownCommand_Throws_AndLeavesThePositionAsItWas()
    {
        var symbol = await trading.Market(20_000m);
        var account = await trading.Account(10_000m);
        var opened = await Open(account, symbol, PositionSide.Long, 1m, 10);
        var position = fixture.Grains.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(account.GetPrimaryKeyString(), symbol));
        var market = (await fixture.Grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!;

        var thrown = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => position.Apply(1_000, new UnknownCommand { WalletAvailable = 5_000m }, market));

        Assert.Contains("unknown position command", thrown.Message);
        Assert.Equal(opened.Position!.IsolatedMargin, (await position.Get(market))!.IsolatedMargin);
        await trading.AssertConserved();
    }

    /// <summary>
    /// A refusal used to carry a made-up event (PositionOpened); now it has none. Positions store
    /// their last outcome, so one written before the change must still read back, event and all.
    /// </summary>
    [Fact]
    public void OutcomeStoredBeforeTheEventBecameOptional_ReadsBack()
    {
        var serializer = fixture.Cluster.ServiceProvider.GetRequiredService<Serializer>();
        var stored = serializer.SerializeToArray(new OutcomeBefore(new Rejected(Rejection.CommandCancelled, "command 7 never arrived"), 0m, 0m, 0m, 0m, null, JournalKind.PositionOpened));

        var read = serializer.Deserialize<PositionOutcome>(stored)!;

        Assert.Equal((Rejection.CommandCancelled, "command 7 never arrived", (JournalKind?)JournalKind.PositionOpened), (read.Result.Reason, read.Result.Detail, read.Event));
        Assert.Null(PositionOutcome.Refused(Rejection.CommandCancelled, "x").Event);
    }
}

/// <summary>A command kind the position grain was never taught.</summary>
[GenerateSerializer, Immutable]
public sealed record UnknownCommand : PositionCommand;

/// <summary><see cref="PositionOutcome"/>'s fields as they were stored before this change: the event was not optional.</summary>
[GenerateSerializer, Immutable]
public sealed record OutcomeBefore(
    [property: Id(0)] Rejected Result,
    [property: Id(1)] decimal WalletDelta,
    [property: Id(2)] decimal RealizedPnl,
    [property: Id(3)] decimal Fee,
    [property: Id(4)] decimal FillPrice,
    [property: Id(5)] PositionView? Position,
    [property: Id(6)] JournalKind Event,
    [property: Id(7)] string Note = "",
    [property: Id(8)] decimal Quantity = 0m);
