using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// One <typeparamref name="T"/> per test cluster: a silo finds it by its tables' prefix, a test by
/// the cluster's client. Keyed by prefix, so a cluster restarted over the same tables keeps it.
/// </summary>
public sealed class PerCluster<T>(Func<T> create) where T : class
{
    private readonly ConcurrentDictionary<string, T> byPrefix = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<IGrainFactory, T> byClient = new();

    /// <summary>The one of the clusters over <paramref name="tablePrefix"/>'s tables.</summary>
    public T For(string tablePrefix) => byPrefix.GetOrAdd(tablePrefix, _ => create());

    /// <summary>The one of the cluster whose client is <paramref name="grains"/>.</summary>
    public T Of(IGrainFactory grains) =>
        byClient.TryGetValue(grains, out var value) ? value : throw new InvalidOperationException("not a test cluster's client");

    /// <summary>Lets tests that hold only a cluster's client find it.</summary>
    public void Watch(IGrainFactory grains, string tablePrefix) => byClient.AddOrUpdate(grains, For(tablePrefix));
}
