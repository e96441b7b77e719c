namespace MarginOrleans.Placement;

/// <summary>
/// What a silo is for, named in its Orleans metadata (<see cref="MetadataKey"/>): a cluster may give
/// its markets — the tick path: market, trigger shards, price feeds — silos of their own, so that a
/// tick is answered on cores no cascade of liquidations is queued on. A silo without a role takes any
/// grain; a grain asking for a role goes anywhere when no silo has it (one silo, or no market silos).
/// </summary>
public static class SiloRoles
{
    public const string MetadataKey = "margin.role";

    /// <summary>The tick path: markets, their trigger shards and price feeds.</summary>
    public const string Markets = "markets";

    /// <summary>Accounts, positions and funds: the commands' and the liquidations' grains.</summary>
    public const string Trading = "trading";

    public static readonly IReadOnlyList<string> All = [Markets, Trading];
}
