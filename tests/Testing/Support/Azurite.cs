using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MarginOrleans.Tests.Support;

/// <summary>
/// The suite's Azure Storage: the one scripts/test.sh started (MARGIN_TEST_STORAGE), or else an
/// azurite-table this process starts from the repository's node_modules on a free port.
/// </summary>
public static class Azurite
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<string> Started = new(Start);
    private static readonly Lazy<string> SecondStarted = new(Start);

    public static string ConnectionString => Environment.GetEnvironmentVariable("MARGIN_TEST_STORAGE") is { Length: > 0 } given ? given : Started.Value;

    /// <summary>A second azurite-table of this process's own, always started here: a second storage account.</summary>
    public static string Second => SecondStarted.Value;

    public static string For(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};TableEndpoint=http://127.0.0.1:{port}/{Account};";

    private static string Start()
    {
        var root = FindRoot();
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("azurite-").FullName;
        var process = Process.Start(new ProcessStartInfo("node",
            [Path.Combine(root, "node_modules", "azurite", "dist", "src", "table", "main.js"),
             "--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--location", data, "--skipApiVersionCheck", "--disableTelemetry", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start azurite-table: run `npm ci` at the repository root");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.Kill(entireProcessTree: true);
        WaitUntilStarted(process, port);
        return For(port);
    }

    /// <summary>
    /// Reads azurite's output up to the line it prints once it listens: the signal that it started.
    /// A process that has not said so within a minute is killed, which ends its output and fails here.
    /// </summary>
    private static void WaitUntilStarted(Process process, int port)
    {
        using var deadline = new Timer(_ => process.Kill(entireProcessTree: true), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.Contains($"successfully started on 127.0.0.1:{port}", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null); // kept drained, so it never blocks on a full pipe
                return;
            }
        }

        throw new InvalidOperationException($"azurite-table did not start on port {port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
