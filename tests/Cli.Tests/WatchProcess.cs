using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace MarginOrleans.Cli.Tests;

/// <summary>`margin watch` with its output redirected, read line by line; killed (the process this test started) when done.</summary>
public sealed class WatchProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();

    private WatchProcess(Process process)
    {
        this.process = process;
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        });
    }

    public List<string> Seen { get; } = [];

    public static WatchProcess Start(Dictionary<string, string> environment) => new(Process.Start(MarginProcess.StartInfo(["watch"], environment))!);

    /// <summary>The next line, waiting for it at most 20 s.</summary>
    public async Task<string> Next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            var line = await lines.Reader.ReadAsync(timeout.Token);
            Seen.Add(line);
            return line;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"margin watch printed no further line; so far:\n{string.Join('\n', Seen)}\nstderr: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "")}");
        }
    }

    /// <summary>
    /// The next mark line, passing over account events: an open position's funding arrives on the
    /// hour of funding (00, 08, 16 UTC), whenever the test happens to run.
    /// </summary>
    public async Task<string> NextMark()
    {
        while (true)
        {
            var line = await Next();
            if (Regex.IsMatch(line, @"^\d\d:\d\d:\d\d \S+ mark "))
            {
                return line;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
