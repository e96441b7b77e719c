using MarginOrleans.Api.V1;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>Hedge mode in the CLI: the leg a command names, the leg of each position and the account's position mode as shown.</summary>
public sealed class LegsTests
{
    private readonly Figures figures = new(new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase) { ["BTC-USDT"] = 0.1m });

    [Theory]
    [InlineData("long", PositionSide.Long)]
    [InlineData("SHORT", PositionSide.Short)]
    [InlineData("both", PositionSide.Both)]
    public void TheLegOption_IsTheApisPositionSide(string given, PositionSide sent) => Assert.Equal(sent, Legs.Parse(given));

    /// <summary>Two legs of one symbol: each row says its leg, each line names it; figures by the one rule.</summary>
    [Fact]
    public void HedgeLegs_OfOneSymbol_AreTwoRows_EachWithItsLeg()
    {
        Position Leg(PositionSide leg, Side side, string liquidation, string pnl) => new()
        {
            Symbol = "BTC-USDT", MarginMode = MarginMode.Isolated, PositionSide = leg, Side = side, Quantity = "1", EntryPrice = "20000", MarkPrice = "20000",
            Leverage = 10, IsolatedMargin = "2000", UnrealizedPnl = pnl, LiquidationPrice = liquidation, TakeProfitPrice = "", StopLossPrice = "", MaxRemovable = "0",
            BreakEvenPrice = side == Side.Long ? "20052.05936301" : "19985.37397968", FundingSinceOpen = side == Side.Long ? "-11.22" : "11.22", FeesSinceOpen = "14",
        };

        var shown = Drawing.Draw(Render.Positions(
            [Leg(PositionSide.Long, Side.Long, "18072.28915663", "0"), Leg(PositionSide.Short, Side.Short, "21912.35059761", "0")], figures), 200);

        Assert.Equal(
        [
            "                                                               positions",
            "   symbol  mode    leg   side  qty     entry     mark  lev   margin  uPnL  liq. price  tp / sl  max remove  break-even  funding / fees",
            new string('─', 136),
            // Break-even to the tick where a close there does not lose: the long's 20,052.059… up, the short's 19,985.373… down.
            " BTC-USDT   iso   long   long    1  20000.00  20000.0  10x  2000.00  0.00     18072.3  -- / --        0.00     20052.1  -11.22 / 14.00",
            " BTC-USDT   iso  short  short    1  20000.00  20000.0  10x  2000.00  0.00     21912.3  -- / --        0.00     19985.3   11.22 / 14.00",
            "BTC-USDT long leg: ROE 0.00%, liquidation 9.64% away",
            "BTC-USDT short leg: ROE 0.00%, liquidation 9.56% away",
        ], Lines(shown));
    }

    /// <summary>A one-way position's leg is BOTH, and its line is named by its symbol alone, as before legs.</summary>
    [Fact]
    public void OneWayPosition_ShowsLegBoth_AndItsLineJustTheSymbol()
    {
        var position = new Position
        {
            Symbol = "BTC-USDT", MarginMode = MarginMode.Cross, PositionSide = PositionSide.Both, Side = Side.Long, Quantity = "0.5", EntryPrice = "20000",
            MarkPrice = "20000", Leverage = 20, InitialMargin = "500", MaintenanceMargin = "40", UnrealizedPnl = "0", LiquidationPrice = "", TakeProfitPrice = "", StopLossPrice = "",
        };

        var shown = Lines(Drawing.Draw(Render.Positions([position], figures), 200));

        Assert.Equal(
        [
            "   symbol   mode   leg  side  qty     entry     mark  lev          margin  uPnL  liq. price  tp / sl  max remove  break-even  funding / fees",
            " BTC-USDT  cross  both  long  0.5  20000.00  20000.0  20x  500.00 / 40.00  0.00          --  -- / --         n/a          --         -- / --",
            "BTC-USDT: ROE 0.00%, liquidation none at any positive mark",
        ], shown[1..2].Concat(shown[3..5]));
    }

    [Theory]
    [InlineData(PositionMode.Hedge, "hedge")]
    [InlineData(PositionMode.OneWay, "one-way")]
    [InlineData(PositionMode.Unspecified, "--")]
    public void TheAccount_ShowsItsPositionMode(PositionMode mode, string shown)
    {
        var account = new Account
        {
            AccountId = "alice", WalletBalance = "1000", MarginBalance = "1000", MaintenanceMargin = "0", MarginRatio = "", Available = "1000",
            MaxWithdrawal = "1000", Equity = "1000", PositionMode = mode,
        };

        var lines = Lines(Drawing.Draw(Render.Account(account), 200));

        Assert.Equal("  wallet  margin bal.  maint.  ratio  available  max withdraw   equity  lev. cap  position mode", lines[1]);
        Assert.Equal($" 1000.00      1000.00    0.00     --    1000.00       1000.00  1000.00        --  {shown,13}", lines[3]);
    }

    /// <summary>A leg the CLI does not know is refused before anything is sent, as a side is.</summary>
    [Fact]
    public async Task AnUnknownLeg_IsRefused_BeforeAnythingIsSent()
    {
        var result = await MarginProcess.Run(["open", "BTC-USDT", "long", "1", "--leg", "sideways"], new Dictionary<string, string> { ["MARGIN_GATEWAY"] = "http://127.0.0.1:1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["--position-side must be long, short or both, not 'sideways'"], result.ErrorLines);
    }

    /// <summary>The drawn lines as a terminal shows them, trailing blanks dropped.</summary>
    private static List<string> Lines(string drawn) => [.. drawn.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}
