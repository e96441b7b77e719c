using System.Diagnostics;

namespace MarginOrleans.Cli.Tests;

/// <summary>
/// The built `margin` CLI run as a user runs it: its own process, output redirected, from the
/// repository root (so paths such as docs/examples/doge-usdt.yaml resolve as in the README).
/// </summary>
public static class MarginProcess
{
    public static readonly string Root = FindRoot();

    /// <summary>
    /// The CLI this test project built (it references src/Cli), from its own output folder as the
    /// README's alias runs it: the copy beside the tests resolves the tests' dependencies, not its own.
    /// </summary>
    public static readonly string Dll = Built("Cli", "margin.dll");

    /// <summary>A host or tool of src/ built with this test's configuration and framework (…/bin/Release/net10.0/).</summary>
    public static string Built(string project, string dll)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.Combine(Root, "src", project, "bin", output.Parent!.Name, output.Name, dll);
    }

    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of the developer's shell leaks in: the address and key are what the test gives.
        start.Environment.Remove("MARGIN_GATEWAY");
        start.Environment.Remove("MARGIN_API_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs one command to its exit (a minute at most: a hung command is a failure, not a wait).</summary>
    public static async Task<Result> Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        process.StandardInput.Close();
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("margin " + string.Join(' ', args) + " did not exit within a minute");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MarginOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MarginOrleans.sln not found above " + AppContext.BaseDirectory);
    }
}
