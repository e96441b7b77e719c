using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace MarginOrleans.Placement;

/// <summary>Places the grain on a silo of <paramref name="role"/> (<see cref="SiloRoles"/>) if the cluster has one, else anywhere.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OnSiloRoleAttribute(string role) : PlacementFilterAttribute(new OnSiloRoleStrategy(role));

public sealed class OnSiloRoleStrategy(string role) : PlacementFilterStrategy(order: 0)
{
    private const string RoleProperty = "margin.placement.role";

    /// <summary>Orleans makes the strategy from the grain type's properties: <see cref="AdditionalInitialize"/> sets the role.</summary>
    public OnSiloRoleStrategy() : this(SiloRoles.Trading)
    {
    }

    public string Role { get; private set; } = role;

    public override void AdditionalInitialize(GrainProperties properties) =>
        Role = GetPlacementFilterGrainProperty(RoleProperty, properties) ?? SiloRoles.Trading;

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(IServiceProvider services, Type grainClass,
        GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new(RoleProperty, Role);
    }
}

/// <summary>
/// Keeps the silos whose role is the grain's; none left, all of them: a role is a preference, so a
/// cluster without market silos (one silo, a test cluster) places every grain as before.
/// </summary>
public sealed class OnSiloRoleDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy strategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var role = ((OnSiloRoleStrategy)strategy).Role;
        var candidates = silos.ToList();
        var matching = candidates.Where(silo => RoleOf(silo) == role).ToList();
        return matching.Count > 0 ? matching : candidates;
    }

    /// <summary>A silo with no role (or whose metadata has not arrived yet) takes any grain: it counts as a trading silo.</summary>
    private string RoleOf(SiloAddress silo) => metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(SiloRoles.MetadataKey) ?? SiloRoles.Trading;
}
