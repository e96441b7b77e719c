using System.Collections.Concurrent;

namespace MarginOrleans.Tests.Support;

/// <summary>Fails a named point for one grain key, once or until disarmed; armed by a test, shared by the in-process silos.</summary>
public sealed class TestFaults : IFaultInjector
{
    public static readonly TestFaults Instance = new();

    private readonly ConcurrentDictionary<(string Point, string Key), (bool UntilDisarmed, Func<Exception> Fault)> armed = new();

    /// <summary>
    /// Fails the point's next pass for the key; <paramref name="untilDisarmed"/>: every pass until <see cref="Disarm"/>;
    /// <paramref name="fault"/>: with that exception (as a silo's failure would), not an <see cref="InjectedFault"/>.
    /// </summary>
    public void Arm(string point, string grainKey, bool untilDisarmed = false, Func<Exception>? fault = null)
        => armed[(point, grainKey)] = (untilDisarmed, fault ?? (() => new InjectedFault($"injected fault at {point} for {grainKey}")));

    /// <summary>Whether the point is armed for the key: a fault armed once is disarmed by the pass it fails.</summary>
    public bool Armed(string point, string grainKey) => armed.ContainsKey((point, grainKey));

    public void Disarm(string point, string grainKey) => armed.TryRemove((point, grainKey), out _);

    public void At(string point, string grainKey)
    {
        if (armed.TryGetValue((point, grainKey), out var arming) && (arming.UntilDisarmed || armed.TryRemove((point, grainKey), out _)))
        {
            throw arming.Fault();
        }
    }
}

[GenerateSerializer]
public sealed class InjectedFault(string message) : Exception(message);
