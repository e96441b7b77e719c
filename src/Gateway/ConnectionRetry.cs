namespace MarginOrleans.Gateway;

/// <summary>
/// The gateway keeps trying to reach the cluster until it stops, once a second. Orleans' default
/// backs off linearly (1.5 s, 3 s, 4.5 s, …) and gives up after 15 attempts: a gateway started
/// beside restarting silos waited 22 s between attempts alone before it joined, and one started
/// long before its silos exited.
/// </summary>
public sealed class ConnectionRetry(TimeProvider time, ILogger<ConnectionRetry> log) : IClientConnectionRetryFilter
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private int attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref attempts) == 1)
        {
            log.LogWarning("The silo cluster does not answer yet ({Error}); retrying every {Seconds} s", exception.Message, Wait.TotalSeconds);
        }

        await Task.Delay(Wait, time, cancellationToken);
        return true;
    }
}
