using System.Text.RegularExpressions;
using MarginOrleans.Api.V1;
using Spectre.Console;
using Spectre.Console.Rendering;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>At 80 columns (a default terminal, and what Spectre assumes for redirected output) every figure stays whole.</summary>
public sealed class RenderWidthTests
{
    private readonly Figures figures = new(new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase) { ["BTC-USDT"] = 0.1m, ["ETH-USDT"] = 0.01m });

    private static readonly Position Btc = new()
    {
        Symbol = "BTC-USDT", MarginMode = MarginMode.Isolated, Side = Side.Long, Quantity = "12.345", EntryPrice = "61234.56789",
        MarkPrice = "60123.45", Leverage = 20, IsolatedMargin = "37797.38270711", UnrealizedPnl = "-13714.01152105",
        LiquidationPrice = "58190.12345678", TakeProfitPrice = "70000", StopLossPrice = "58500", MaxRemovable = "1234.56789012",
        BreakEvenPrice = "61298.76543211", FundingSinceOpen = "-123.45678901", FeesSinceOpen = "740.12345678",
    };

    private static readonly Position Eth = new()
    {
        Symbol = "ETH-USDT", MarginMode = MarginMode.Cross, Side = Side.Short, Quantity = "150.25", EntryPrice = "3012.34",
        MarkPrice = "2999.99", Leverage = 10, InitialMargin = "45074.8497", MaintenanceMargin = "2253.742485", UnrealizedPnl = "1855.5875",
        LiquidationPrice = "3301.87654321", TakeProfitPrice = "", StopLossPrice = "",
    };

    [Fact]
    public void Positions_At80Columns_NeverSplitANumber()
    {
        var shown = Draw(Render.Positions([Btc, Eth], figures), 80);

        AssertFits(shown, 80);
        AssertWhole(shown, "12.345", "61234.56789", "60123.5", "20x", "37797.38270711", "-13714.01152105", "58190.2", "70000.0 / 58500.0", "1234.56789012",
            "61298.8", "-123.45678901 / 740.12345678");
        AssertWhole(shown, "150.25", "3012.34", "2999.99", "10x", "45074.8497 / 2253.742485", "1855.5875", "3301.87", "-- / --", "n/a");
    }

    [Fact]
    public void Account_At80Columns_NeverSplitsANumber()
    {
        var account = new Account
        {
            AccountId = "alice", WalletBalance = "1234567.12345678", MarginBalance = "1234567.12345678", MaintenanceMargin = "98765.4321",
            MarginRatio = "0.08", Available = "1000000.5", MaxWithdrawal = "999999.99", Equity = "1250000.87654321", LeverageCap = 10,
        };

        var shown = Draw(Render.Account(account), 80);

        AssertFits(shown, 80);
        AssertWhole(shown, "1234567.12345678", "98765.4321", "8.00%", "1000000.50", "999999.99", "1250000.87654321", "10x");
    }

    /// <summary>A table that fits is one table, as before: folding happens only when needed.</summary>
    [Fact]
    public void NarrowTable_ThatFits_IsOneTable()
    {
        var table = Render.Narrow("marks", "symbol", "mark", "time").AddRow("BTC-USDT", "60000.0", "05:48:35");

        var shown = Draw(table, 80);

        Assert.Single(shown.Split('\n'), l => l.Contains("symbol"));
        AssertWhole(shown, "BTC-USDT", "60000.0", "05:48:35");
    }

    private static string Draw(IRenderable renderable, int width) => Drawing.Draw(renderable, width);

    private static void AssertFits(string shown, int width) =>
        Assert.All(shown.Split('\n'), line => Assert.True(line.TrimEnd().Length <= width, $"wider than {width}: '{line}'\n{shown}"));

    /// <summary>Each figure appears whole on one line, not as a piece of a longer token.</summary>
    private static void AssertWhole(string shown, params string[] figures) =>
        Assert.All(figures, figure => Assert.True(
            Regex.IsMatch(shown, $@"(?<![\w.\-]){Regex.Escape(figure)}(?![\w.])", RegexOptions.Multiline), $"'{figure}' is not shown whole:\n{shown}"));
}
