using Orleans.Concurrency;
using Orleans.Runtime;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The engine's work still under way in one silo: every call a grain sends another, counted from
/// the moment it is sent until it has been handled — a one-way call (a trigger's wake-up, a
/// position's report) until its receiver has finished with it, since its sender never waits. A
/// test that has had its own call answered waits for <see cref="Quiet"/>: by then every effect of
/// that call (a liquidation and the journal rows and fund transfers that follow) has landed. Grain
/// timers are not calls: a test that advances the clock past one first awaits a call that the
/// timer's grain answers after its tick.
/// </summary>
public sealed class EngineActivity : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
{
    /// <summary>Marks a one-way call this silo counted when it sent it, so its receiver (and no one else) counts it done.</summary>
    private const string Counted = "test.engine-activity";

    private static readonly PerCluster<EngineActivity> Clusters = new(() => new EngineActivity());

    private readonly object gate = new();
    private int pending;
    private TaskCompletionSource quiet = Completed();

    /// <summary>The activity of the clusters over <paramref name="tablePrefix"/>'s tables: one count for all their silos, since a one-way call is sent in one and handled in another.</summary>
    public static EngineActivity For(string tablePrefix) => Clusters.For(tablePrefix);

    /// <summary>The activity of the cluster whose client is <paramref name="grains"/>.</summary>
    public static EngineActivity Of(IGrainFactory grains) => Clusters.Of(grains);

    /// <summary>Lets tests that hold only a cluster's client find its activity.</summary>
    public static void Watch(IGrainFactory grains, string tablePrefix) => Clusters.Watch(grains, tablePrefix);

    private TaskCompletionSource nextCall = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the next call between grains starts: what a grain working in a loop of its own
    /// (a fund deleveraging, writing its state between calls) does next, though it was quiet meanwhile.
    /// </summary>
    public Task NextCall
    {
        get
        {
            lock (gate)
            {
                return nextCall.Task;
            }
        }
    }

    /// <summary>Completes once no call between grains is under way.</summary>
    public Task Quiet
    {
        get
        {
            lock (gate)
            {
                return quiet.Task;
            }
        }
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.TargetId.IsClient())
        {
            await context.Invoke(); // a push to a gateway's observer: no silo handles it, so none would count it done
            return;
        }

        var oneWay = IsOneWay(context.InterfaceMethod);
        Started();
        if (oneWay)
        {
            RequestContext.Set(Counted, true);
        }

        try
        {
            await context.Invoke();
        }
        catch
        {
            if (oneWay)
            {
                Finished(); // never sent: no receiver will count it
            }

            throw;
        }
        finally
        {
            if (oneWay)
            {
                RequestContext.Remove(Counted);
            }
            else
            {
                Finished();
            }
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TaskCompletionSource, (string Key, string Method)> awaitedAnswers = new();

    /// <summary>Completes when the grain keyed <paramref name="grainKey"/> next answers a call of <paramref name="method"/>, from anyone (a gateway included).</summary>
    public Task Answered(string grainKey, string method)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        awaitedAnswers[answered] = (grainKey, method);
        return answered.Task;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var counted = IsOneWay(context.InterfaceMethod) && RequestContext.Get(Counted) is true;
        if (counted)
        {
            RequestContext.Remove(Counted); // calls this one makes count for themselves
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            if (counted)
            {
                Finished();
            }

            foreach (var (answered, (key, method)) in awaitedAnswers)
            {
                if (method == context.InterfaceMethod?.Name && context.TargetId.Key.ToString() == key && awaitedAnswers.TryRemove(answered, out _))
                {
                    answered.TrySetResult();
                }
            }
        }
    }

    public static bool IsOneWay(System.Reflection.MethodInfo? method) =>
        method?.GetCustomAttributes(typeof(OneWayAttribute), inherit: true).Length > 0;

    private void Started()
    {
        lock (gate)
        {
            nextCall.TrySetResult();
            nextCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (pending++ == 0)
            {
                quiet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Finished()
    {
        lock (gate)
        {
            if (--pending == 0)
            {
                quiet.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
