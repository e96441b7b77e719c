using MarginOrleans.Positions;
using MarginOrleans.Storage;

namespace MarginOrleans.Operations;

/// <summary>The sender's half of a transfer to a market's insurance fund (exactly once: docs/architecture.md).</summary>
public static class FundTransfers
{
    /// <summary>
    /// Delivers a transfer the sender has already recorded durably: the fund applies it once by
    /// id, the sender records it done (<paramref name="recordDone"/>), then lets the fund forget the id.
    /// The record of done gives way in the storage queue: until it is written the fund keeps the id,
    /// so a re-send still applies once, and in a cascade the liquidations after it write first.
    /// </summary>
    public static async Task Deliver(IGrainFactory grains, IFaultInjector faults, FundTransfer transfer, Func<Task> recordDone)
    {
        var fund = grains.GetGrain<IInsuranceFundGrain>(transfer.Fund);
        await fund.Apply(transfer.Id, transfer.Amount, transfer.Deficit);
        faults.At(FaultPoints.TransferApplied, transfer.Id);
        using (StorageAdmission.GiveWay())
        {
            await recordDone();
        }

        await fund.Forget(transfer.Id);
    }
}
