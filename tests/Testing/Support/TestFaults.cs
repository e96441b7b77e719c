using System.Collections.Concurrent;

namespace MarginOrleans.Tests.Support;

/// <summary>Fails a named point once for one grain key; armed by a test, shared by the in-process silos.</summary>
public sealed class TestFaults : IFaultInjector
{
    public static readonly TestFaults Instance = new();

    private readonly ConcurrentDictionary<(string Point, string Key), bool> armed = new();

    public void Arm(string point, string grainKey) => armed[(point, grainKey)] = true;

    public void At(string point, string grainKey)
    {
        if (armed.TryRemove((point, grainKey), out _))
        {
            throw new InjectedFault($"injected fault at {point} for {grainKey}");
        }
    }
}

[GenerateSerializer]
public sealed class InjectedFault(string message) : Exception(message);
