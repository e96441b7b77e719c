namespace MarginOrleans.Operations;

/// <summary>
/// The conservation totals over every account and the insurance funds. <see cref="InFlight"/> counts
/// each transfer once: recorded by its sender and not yet applied by its fund, or an operator's move
/// out of one fund not yet into the other. <see cref="Consistent"/>: no fund moved while the accounts
/// were read (else, after <see cref="Passes"/> tries, the figures may count a moving transfer twice or not at all).
/// </summary>
[GenerateSerializer, Immutable, Alias("AuditReport")]
public sealed record AuditReport(
    [property: Id(0)] decimal Deposits,
    [property: Id(1)] decimal Withdrawals,
    [property: Id(2)] decimal Wallets,
    [property: Id(3)] decimal IsolatedMargins,
    [property: Id(4)] decimal InsuranceFund,
    [property: Id(5)] decimal House,
    [property: Id(6)] decimal InFlight,
    [property: Id(7)] int Accounts,
    [property: Id(8)] decimal FundTopUps = 0m,
    [property: Id(9)] decimal FundsOwed = 0m,
    [property: Id(10)] bool Consistent = true,
    [property: Id(11)] int Passes = 1)
{
    /// <summary>
    /// Σ wallets + Σ isolated margins + funds + house + in flight − what the funds owe the house
    /// (booked by the house, still being collected by auto-deleveraging) − (deposits + fund top-ups −
    /// withdrawals); zero when nothing is lost.
    /// </summary>
    public decimal Discrepancy => Wallets + IsolatedMargins + InsuranceFund + House + InFlight - FundsOwed - (Deposits + FundTopUps - Withdrawals);
}
