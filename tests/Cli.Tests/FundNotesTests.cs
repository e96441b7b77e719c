using MarginOrleans.Api.V1;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>An owing fund is explained where the operator sees it: what it means, how it is collected, what to do.</summary>
public sealed class FundNotesTests
{
    [Fact]
    public void OwingFund_SaysWhatItMeansAndHowTheOperatorSettlesIt()
    {
        var fund = new InsuranceFund { Symbol = "BTC-USDT", Balance = "0", Received = "0", Paid = "0", Owed = "650", Deleveraged = "0" };

        Assert.Equal(
        [
            "owes 650.00: a fund never goes below zero. A bankrupt position lost more than the fund held; the fund paid what it had and owes the rest.",
            "It is collected by auto-deleveraging the best-ranked opposite positions of BTC-USDT's market (closed at the bankrupt position's bankruptcy price, each giving up at most its profit) and by any money coming in (liquidations, top-ups), which pays the debt first.",
            "With no opposite position to deleverage it stays owed: top the fund up with `margin admin fund-topup BTC-USDT 650.00`, or move money from another fund with `margin admin fund-move <from> BTC-USDT <amount>`.",
        ], FundNotes.Lines(fund));
    }

    [Fact]
    public void SummedFunds_PointAtTheMarketToTopUp()
    {
        var lines = FundNotes.Lines(new InsuranceFund { Symbol = "", Owed = "12.5" });

        Assert.Equal("owes 12.50: a fund never goes below zero. A bankrupt position lost more than the fund held; the fund paid what it had and owes the rest.", lines[0]);
        Assert.EndsWith("top the fund up with `margin admin fund-topup <symbol> 12.50`, or move money from another fund with `margin admin fund-move <from> <symbol> <amount>`.", lines[2]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public void FundThatOwesNothing_HasNoNote(string owed) => Assert.Empty(FundNotes.Lines(new InsuranceFund { Symbol = "BTC-USDT", Owed = owed }));
}
