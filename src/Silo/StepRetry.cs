using Microsoft.Extensions.Logging;

namespace MarginOrleans.Silo;

/// <summary>
/// Runs an idempotent step until it succeeds or the silo stops, waiting longer after each failure
/// (doubling from <paramref name="first"/> up to <paramref name="longest"/>). A silo restarted
/// before the rest of its cluster sees its calls rejected for a while; that is a reason to wait,
/// never to exit. Each step's first failure is logged once, as a warning, not every attempt.
/// </summary>
public sealed class StepRetry(TimeSpan first, TimeSpan longest, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(5);

    /// <summary>The step's result once it answers; cancelled only by <paramref name="stop"/>.</summary>
    public async Task<T> Run<T>(string step, Func<Task<T>> action, CancellationToken stop)
    {
        var wait = first;
        for (var attempt = 1; ; attempt++)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                var result = await action();
                if (attempt > 1)
                {
                    log.LogInformation("{Step} succeeded after {Attempts} attempts", step, attempt);
                }

                return result;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                if (attempt == 1)
                {
                    log.LogWarning("{Step} failed ({Error}); retrying until the cluster answers", step, e.Message);
                }
            }

            await Task.Delay(wait, time, stop);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, longest.Ticks));
        }
    }

    public Task Run(string step, Func<Task> action, CancellationToken stop) => Run(step, async () =>
    {
        await action();
        return true;
    }, stop);
}
