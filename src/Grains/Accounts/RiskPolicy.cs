namespace MarginOrleans.Accounts;

/// <summary>
/// The trader's own leverage cap (0: none). It can be lowered at any time and raised only with no
/// open position, so it cannot be escaped mid-trade; a cap above every market's maximum binds nothing
/// until a market allows more, and the trader is told so.
/// </summary>
public static class RiskPolicy
{
    public const int Highest = 1000;

    public static Rejected Allows(int cap, int leverage) => cap > 0 && leverage > cap
        ? new Rejected(Rejection.LeverageExceedsRiskPolicy, $"leverage {leverage}x exceeds your risk policy's cap of {cap}x")
        : Rejected.Ok;

    /// <summary>Whether the cap may become <paramref name="next"/>, given whether any position is open.</summary>
    public static Rejected CheckChange(int current, int next, bool anyOpen) =>
        next is < 1 or > Highest ? new Rejected(Rejection.LeverageOutOfRange, $"leverage max {next} must be from 1 to {Highest}")
        : current != 0 && next > current && anyOpen ? new Rejected(Rejection.RiskPolicyRaiseWithOpenPosition,
            $"the cap can rise from {current}x to {next}x only with no open position")
        : Rejected.Ok;

    /// <summary>What the reply says when the cap is above <paramref name="highestMarket"/>, the most any market allows.</summary>
    public static string Note(int cap, int highestMarket) =>
        cap > highestMarket ? $"no effect above {highestMarket}x: no market allows more; your cap binds from there down" : "";

    /// <summary>Only a raise needs to know whether a position is open (a read of every isolated position).</summary>
    public static bool IsRaise(int current, int next) => current != 0 && next > current;
}
