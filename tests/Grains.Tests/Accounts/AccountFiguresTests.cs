using static MarginOrleans.Tests.Accounts.CrossAccounts;

namespace MarginOrleans.Tests.Accounts;

public sealed class AccountFiguresTests
{
    [Fact]
    public void TheCrossPoolsFigures_StandBesideTheIsolatedPositions_WithTheirMarginCalls()
    {
        var account = new AccountState { WalletBalance = 1_000m, LeverageCap = 20, CrossPositions = { ["X-USDT"] = Long(1m, 20_000m) } };
        var cross = new CrossBook(account, MarketsOf(Market("X-USDT", 19_500m)));
        var isolated = new PositionView("A-USDT", PositionSide.Short, 1m, 100m, 10, 10m, 100m, 100m, 0m, 10m, 10m, 9m, 109m, 110m, 0m, MarginMode.Isolated);

        var view = AccountFigures.View("acc", account, cross, [isolated]);

        // Cross: margin balance 1,000 − 500 = 500, MM 78, ratio 78 / 500; isolated: 9 / 10 is past the call at 0.8.
        Assert.Equal((500m, 78m, 0.156m), (view.MarginBalance, view.MaintenanceMargin, view.MarginRatio));
        Assert.Equal(["A-USDT", "X-USDT"], view.Positions.Select(p => p.Symbol));
        Assert.Equal((510m, -500m, 10m), (view.Equity, view.UnrealizedPnl, view.IsolatedMargin));
        Assert.Equal(new Dictionary<string, decimal> { ["A-USDT"] = 0.9m }, view.MarginCalls);
    }
}
