using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// Hedge mode through the gateway: the account's mode, a LONG and a SHORT leg of one symbol side by
/// side, each read and closed by its position_side, and the leg on every journal row.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HedgeModeTests(GatewayFixture gateway)
{
    [Fact]
    public async Task TwoLegs_OpenSideBySide_AreReadByTheirSide_AndOneClosesAlone()
    {
        var symbol = "H" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000");
        var (key, _) = await gateway.Trader("10000");
        var auth = Bearer(key);

        var set = await gateway.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = PositionMode.Hedge }, auth);
        Assert.Equal("10000", set.WalletBalance);
        Assert.Equal(PositionMode.Hedge, (await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), auth)).PositionMode);

        Task<CommandReply> Open(Side side, PositionSide leg, string quantity, int leverage) => gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = symbol, Side = side, PositionSide = leg, Quantity = quantity, Leverage = leverage,
        }, auth).ResponseAsync;
        Task<Position> Leg(PositionSide leg) => gateway.Positions.GetPositionAsync(new GetPositionRequest { Symbol = symbol, PositionSide = leg }, auth).ResponseAsync;

        var longLeg = await Open(Side.Long, PositionSide.Long, "1", 10);   // margin 2,000, fee 10
        Assert.Equal(("7990", PositionSide.Long, Side.Long, "2000", "18072.28915663"),
            (longLeg.WalletBalance, longLeg.Position.PositionSide, longLeg.Position.Side, longLeg.Position.IsolatedMargin, longLeg.Position.LiquidationPrice));
        var shortLeg = await Open(Side.Short, PositionSide.Short, "1", 50); // margin 400, fee 10: the legs are never netted
        Assert.Equal(("7580", PositionSide.Short, Side.Short, "400", "20318.7250996"),
            (shortLeg.WalletBalance, shortLeg.Position.PositionSide, shortLeg.Position.Side, shortLeg.Position.IsolatedMargin, shortLeg.Position.LiquidationPrice));

        Assert.Equal((PositionSide.Long, Side.Long, "1"), await Leg(PositionSide.Long).ContinueWith(p => (p.Result.PositionSide, p.Result.Side, p.Result.Quantity)));
        Assert.Equal((PositionSide.Short, Side.Short, "1"), await Leg(PositionSide.Short).ContinueWith(p => (p.Result.PositionSide, p.Result.Side, p.Result.Quantity)));
        var unnamed = await Assert.ThrowsAsync<RpcException>(() => Leg(PositionSide.Both)); // a read of the one-way leg, which a hedge account never holds
        Assert.Equal((StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in hedge mode: name the leg, position side LONG or SHORT"),
            (unnamed.StatusCode, unnamed.Status.Detail));
        Assert.Equal([PositionSide.Long, PositionSide.Short],
            (await gateway.Positions.ListPositionsAsync(new ListPositionsRequest(), auth)).Positions.Where(p => p.Symbol == symbol).Select(p => p.PositionSide));

        // The opposite side of the LONG leg reduces it: 800 of its margin back, fee 4.
        var reduced = await Open(Side.Short, PositionSide.Long, "0.4", 10);
        Assert.Equal(("8376", "0.6", PositionSide.Long, Side.Long), (reduced.WalletBalance, reduced.Position.Quantity, reduced.Position.PositionSide, reduced.Position.Side));

        var closed = await gateway.Positions.ClosePositionAsync(new ClosePositionRequest { RequestId = RequestId(), Symbol = symbol, PositionSide = PositionSide.Short }, auth);
        Assert.Equal("8766", closed.WalletBalance); // the short leg's 400 back, fee 10
        Assert.Null(closed.Position);
        Assert.Equal((PositionSide.Long, "0.6"), await Leg(PositionSide.Long).ContinueWith(p => (p.Result.PositionSide, p.Result.Quantity)));

        var journal = (await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), auth)).Entries;
        var mode = Assert.Single(journal, e => e.Kind == "PositionModeSet");
        Assert.Equal(("", PositionSide.Unspecified, PositionMode.Hedge), (mode.Symbol, mode.PositionSide, mode.PositionMode));
        Assert.Equal(
            [("PositionOpened", PositionSide.Long, "1"), ("PositionOpened", PositionSide.Short, "1"), ("PositionReduced", PositionSide.Long, "0.4"), ("PositionClosed", PositionSide.Short, "1")],
            journal.Where(e => e.Symbol == symbol).Select(e => (e.Kind, e.PositionSide, e.Quantity)));
        await gateway.AssertBalanced();
    }
}
