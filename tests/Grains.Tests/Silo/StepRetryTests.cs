using MarginOrleans.Silo;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MarginOrleans.Tests.Silo;

/// <summary>Seeding after a whole-cluster restart: rejected calls are waited out, never fatal.</summary>
public sealed class StepRetryTests
{
    [Fact]
    public async Task RejectedStep_IsRetriedUntilTheClusterAnswers_WarningOnce()
    {
        var log = new Warnings();
        var calls = 0;
        var retry = new StepRetry(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeProvider.System, log);

        var answer = await retry.Run<int>("Assigning the operator key", () =>
        {
            calls++;
            return calls <= 4
                ? throw new SiloUnavailableException("the cluster is still forming")
                : Task.FromResult(42);
        }, CancellationToken.None);

        Assert.Equal((42, 5), (answer, calls));
        Assert.Equal(["Assigning the operator key failed (the cluster is still forming); retrying until the cluster answers"], log.Lines);
    }

    [Fact]
    public async Task Shutdown_EndsTheRetriesOfAStepThatNeverAnswers()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var retry = new StepRetry(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeProvider.System, new Warnings());

        var running = retry.Run("Creating market BTC-USDT", () =>
        {
            if (++calls == 3)
            {
                stop.Cancel();
            }

            return Task.FromException(new TimeoutException("no answer"));
        }, stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(3, calls);
    }

    private sealed class Warnings : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
