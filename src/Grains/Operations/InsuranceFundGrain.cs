using MarginOrleans.Operations;

namespace MarginOrleans.Operations;

[GenerateSerializer, Alias("InsuranceFundState")]
public sealed class InsuranceFundState
{
    [Id(0)] public decimal Balance { get; set; }
    [Id(1)] public decimal Received { get; set; }
    [Id(2)] public decimal Paid { get; set; }

    /// <summary>Transfers applied whose senders have not yet confirmed completion; bounded by what is in flight.</summary>
    [Id(3)] public Dictionary<string, decimal> Applied { get; set; } = [];
}

/// <summary>
/// Receives what liquidated positions leave and pays the deficits of those closed past
/// bankruptcy. It may go negative: that is the point where an exchange would auto-deleverage.
/// </summary>
public sealed class InsuranceFundGrain(
    [PersistentState("fund", "margin")] IPersistentState<InsuranceFundState> state) : Grain, IInsuranceFundGrain
{
    public async Task Apply(string transferId, decimal amount)
    {
        if (state.State.Applied.ContainsKey(transferId))
        {
            return;
        }

        var before = state.State.Balance;
        state.State.Balance += amount;
        if (amount >= 0)
        {
            state.State.Received += amount;
        }
        else
        {
            state.State.Paid -= amount;
        }

        state.State.Applied[transferId] = amount;
        Invariant.Assert(state.State.Balance - before == amount, "fund balance moved by exactly the transfer");
        await state.WriteStateAsync();
    }

    public Task Forget(string transferId)
    {
        // Persisted with the next Apply; a forgotten id that reappears after a restart is harmless.
        state.State.Applied.Remove(transferId);
        return Task.CompletedTask;
    }

    public Task<InsuranceFundView> Get() =>
        Task.FromResult(new InsuranceFundView(state.State.Balance, state.State.Received, state.State.Paid));
}
