using MarginOrleans.Accounts;
using MarginOrleans.Positions;

namespace MarginOrleans.Markets;

/// <summary>How an entry's owner is woken for it: one-way, naming the entry, so the owner answers it held or not.</summary>
public static class TriggerOwners
{
    /// <summary>Wakes the owner of <paramref name="key"/>'s entry on <paramref name="symbol"/>'s market; never waits on it.</summary>
    public static void Wake(IGrainFactory grains, string symbol, TriggerKey key)
    {
        var wake = key.IsOrder ? grains.GetGrain<IAccountGrain>(key.AccountId).OnOrderTrigger(symbol, key.OrderId)
            : key.Owner == TriggerOwnerKind.CrossAccount
            ? grains.GetGrain<IAccountGrain>(key.AccountId).OnCrossTrigger(symbol, key.Leg, key.Kind)
            : grains.GetGrain<IIsolatedPositionGrain>(PositionKey.Of(key.AccountId, key.LegOn(symbol))).OnTrigger(key.Kind);
        wake.Ignore();
    }
}
