using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests;

/// <summary>One cluster for the grain tests (xunit finds collection definitions in the test assembly only).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
