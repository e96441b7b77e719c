using MarginOrleans.Api.V1;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>The journal command shows each kind's own detail in its own place, and the quantity as only a quantity.</summary>
public sealed class JournalRowsTests
{
    public static TheoryData<JournalEntry, string, string> Details => new()
    {
        { Row("LeverageSet", "BTC-USDT", "0.5", leverage: 20), "leverage 20x", "20,,,,," },
        { Row("MarginModeSet", "BTC-USDT", "0", mode: MarginMode.Cross), "cross margin", ",cross,,,," },
        { Row("RiskPolicySet", "", "0", cap: 50), "leverage cap 50x", ",,50,,," },
        { Row("Liquidation", "", "0", fund: "USDT"), "to insurance fund USDT", ",,,USDT,," },
        { Row("PositionOpened", "BTC-USDT", "1"), "", ",,,,," },
        { Row("PositionOpened", "BTC-USDT", "1", leg: PositionSide.Both), "", ",,,,both," },
        { Row("PositionReduced", "BTC-USDT", "0.4", leg: PositionSide.Long), "", ",,,,long," },
        { Row("Liquidation", "BTC-USDT", "1", leg: PositionSide.Short), "", ",,,,short," },
        { Row("PositionModeSet", "", "0", positionMode: PositionMode.Hedge), "position mode hedge", ",,,,,hedge" },
        { Row("PositionModeSet", "", "0", positionMode: PositionMode.OneWay), "position mode one-way", ",,,,,one-way" },
    };

    [Theory]
    [MemberData(nameof(Details))]
    public void EachKindsDetail_IsShownInItsOwnColumn(JournalEntry row, string detail, string csvDetails)
    {
        Assert.Equal(detail, JournalRows.Detail(row));
        Assert.Equal($"7,2025-01-02T03:04:05.0000000+00:00,{row.Kind},{row.Symbol},{row.Quantity},0,0,0,0,9000,{csvDetails}", JournalRows.Csv(row));
        Assert.Equal(JournalRows.Csv(row).Split(',').Length, JournalRows.CsvHeader.Split(',').Length);
    }

    private static JournalEntry Row(string kind, string symbol, string quantity, int leverage = 0, MarginMode mode = MarginMode.Unspecified, int cap = 0, string fund = "",
        PositionSide leg = PositionSide.Unspecified, PositionMode positionMode = PositionMode.Unspecified) => new()
        {
            Sequence = 7, Time = "2025-01-02T03:04:05.0000000+00:00", Kind = kind, Symbol = symbol, Quantity = quantity, Price = "0",
            WalletDelta = "0", RealizedPnl = "0", Fee = "0", WalletBalance = "9000", RequestId = "r-7",
            Leverage = leverage, MarginMode = mode, LeverageCap = cap, Fund = fund, PositionSide = leg, PositionMode = positionMode,
        };
}
