using System.Diagnostics.CodeAnalysis;
using Orleans.Metadata;
using Orleans.Runtime;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The grain activations alive in a test cluster's silos, counted by grain type as Orleans starts
/// and stops each one's lifecycle. Deactivation runs on Orleans' own real time and no engine call
/// announces it: a test waits for activations to go on this signal, not by polling statistics. A
/// killed silo's activations never stop, so they stay counted.
/// </summary>
public sealed class ActivationWitness : IConfigureGrainContextProvider, IConfigureGrainContext
{
    private static readonly PerCluster<ActivationWitness> Clusters = new(() => new ActivationWitness());

    private readonly object gate = new();
    private readonly Dictionary<GrainType, int> alive = [];
    private readonly List<(GrainType[] Types, int AtMost, TaskCompletionSource Signal)> waiters = [];

    /// <summary>The witness of the clusters over <paramref name="tablePrefix"/>'s tables.</summary>
    public static ActivationWitness For(string tablePrefix) => Clusters.For(tablePrefix);

    /// <summary>The witness of the cluster whose client is <paramref name="grains"/>.</summary>
    public static ActivationWitness Of(IGrainFactory grains) => Clusters.Of(grains);

    /// <summary>Lets tests that hold only a cluster's client find its witness.</summary>
    public static void Watch(IGrainFactory grains, string tablePrefix) => Clusters.Watch(grains, tablePrefix);

    /// <summary>Raised as an activation starts its lifecycle, on the activating silo's thread: a handler must not block.</summary>
    public event Action<GrainId>? Activated;

    /// <summary>Activations of <paramref name="types"/> alive now.</summary>
    public int Alive(params GrainType[] types)
    {
        lock (gate)
        {
            return types.Sum(t => alive.GetValueOrDefault(t));
        }
    }

    /// <summary>Completes once at most <paramref name="count"/> activations of <paramref name="types"/> are alive.</summary>
    public Task AtMost(int count, params GrainType[] types)
    {
        lock (gate)
        {
            if (types.Sum(t => alive.GetValueOrDefault(t)) <= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((types, count, signal));
            return signal.Task;
        }
    }

    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, [NotNullWhen(true)] out IConfigureGrainContext? configurator)
    {
        // A stateless worker's shared context has no lifecycle to watch: those types are not counted.
        var statelessWorker = properties.Properties.TryGetValue(WellKnownGrainTypeProperties.PlacementStrategy, out var placement)
            && placement == "StatelessWorkerPlacement"; // the strategy type is internal to Orleans
        configurator = statelessWorker ? null : this;
        return !statelessWorker;
    }

    public void Configure(IGrainContext context)
    {
        var (grain, type) = (context.GrainId, context.GrainId.Type);
        context.ObservableLifecycle.Subscribe(nameof(ActivationWitness), GrainLifecycleStage.First,
            _ =>
            {
                Activated?.Invoke(grain);
                return Count(type, +1);
            },
            _ => Count(type, -1));
    }

    private Task Count(GrainType type, int change)
    {
        lock (gate)
        {
            alive[type] = alive.GetValueOrDefault(type) + change;
            waiters.RemoveAll(w =>
            {
                var reached = w.Types.Sum(t => alive.GetValueOrDefault(t)) <= w.AtMost;
                if (reached)
                {
                    w.Signal.TrySetResult();
                }

                return reached;
            });
        }

        return Task.CompletedTask;
    }
}
