namespace MarginOrleans.Tests.Accounts;

public sealed class RiskPolicyTests
{
    [Fact]
    public void TheCap_BindsLeverageAboveIt_AndNoCapBindsNothing()
    {
        Assert.Equal(Rejected.Ok, RiskPolicy.Allows(10, 10));
        Assert.Equal(new Rejected(Rejection.LeverageExceedsRiskPolicy, "leverage 11x exceeds your risk policy's cap of 10x"), RiskPolicy.Allows(10, 11));
        Assert.Equal(Rejected.Ok, RiskPolicy.Allows(0, 125));
    }

    [Theory]
    [InlineData(10, 5, true, null)] // lowered with a position open
    [InlineData(0, 50, true, null)] // the first cap, even with a position open
    [InlineData(10, 20, false, null)] // raised with nothing open
    [InlineData(10, 20, true, Rejection.RiskPolicyRaiseWithOpenPosition)]
    [InlineData(10, 0, false, Rejection.LeverageOutOfRange)]
    [InlineData(10, 1001, false, Rejection.LeverageOutOfRange)]
    public void TheCap_FallsAnyTime_AndRisesOnlyWithNothingOpen(int current, int next, bool anyOpen, Rejection? refused)
    {
        Assert.Equal(refused, RiskPolicy.CheckChange(current, next, anyOpen) is { IsOk: false } bad ? bad.Reason : null);
        Assert.Equal(current != 0 && next > current, RiskPolicy.IsRaise(current, next));
    }

    [Fact]
    public void ACapAboveEveryMarket_IsSaidToBindNothingYet()
    {
        Assert.Equal("no effect above 125x: no market allows more; your cap binds from there down", RiskPolicy.Note(200, 125));
        Assert.Equal("", RiskPolicy.Note(125, 125));
    }
}
