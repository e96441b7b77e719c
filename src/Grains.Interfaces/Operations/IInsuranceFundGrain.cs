using Orleans.Concurrency;
namespace MarginOrleans.Operations;

/// <summary>A market's insurance fund (key: its symbol; "USDT" is the fund shared by every market before each had its own).</summary>
[Alias("IInsuranceFundGrain")]
public interface IInsuranceFundGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books a signed transfer once: a repeated <paramref name="transferId"/> is a no-op until
    /// the sender calls <see cref="Forget"/> after recording the transfer as complete.
    /// </summary>
    [Alias("Apply")]
    Task Apply(string transferId, decimal amount);

    [OneWay, Alias("Forget")]
    Task Forget(string transferId);

    [Alias("Get")]
    Task<InsuranceFundView> Get();
}
