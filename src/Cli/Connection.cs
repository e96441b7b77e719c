using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace MarginOrleans.Cli;

/// <summary>The gateway address and API key every command uses, from options or MARGIN_GATEWAY / MARGIN_API_KEY.</summary>
public static class Connection
{
    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = "gateway address (env MARGIN_GATEWAY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MARGIN_GATEWAY") ?? "http://127.0.0.1:5080",
    };

    /// <summary>No default value: help would print it, and a key must never be printed. The environment is read at run time.</summary>
    public static readonly Option<string> Key = new("--key")
    {
        Description = "API key (default: env MARGIN_API_KEY)",
        Recursive = true,
    };

    /// <summary>
    /// Where errors go: standard error, so a script reading a command's output never parses one.
    /// Redirected, an error stays one line however long (Spectre would wrap it at 80 columns).
    /// </summary>
    public static readonly IAnsiConsole Errors = OneLineWhenRedirected(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    private static IAnsiConsole OneLineWhenRedirected(IAnsiConsole console)
    {
        if (Console.IsErrorRedirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a channel and auth headers. Every failure is one line on
    /// standard error: a gRPC error prints its status and exits 1, an address that is not one exits 2.
    /// </summary>
    public static async Task<int> Run(ParseResult parse, Func<GrpcChannel, Metadata, CancellationToken, Task> body, CancellationToken cancel)
    {
        var gateway = parse.GetValue(Gateway)!;
        if (GatewayAddress.Parse(gateway, out var problem) is not { } address)
        {
            Errors.MarkupLineInterpolated($"[red]InvalidArgument[/]: {problem}");
            return 2;
        }

        using var channel = GrpcChannel.ForAddress(address);
        var headers = new Metadata();
        if ((parse.GetValue(Key) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable("MARGIN_API_KEY")) is { Length: > 0 } key)
        {
            headers.Add("authorization", "Bearer " + key);
        }

        try
        {
            await body(channel, headers, cancel);
            return 0;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancel.IsCancellationRequested)
        {
            return 0; // Ctrl-C ends a stream such as `watch`: a normal exit
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is not null)
        {
            Errors.MarkupLineInterpolated($"[red]Unavailable[/]: no gateway answers at {gateway} (set --gateway or MARGIN_GATEWAY)");
            return 1;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && headers.Count == 0)
        {
            Errors.MarkupLineInterpolated($"[red]Unauthenticated[/]: no API key; export MARGIN_API_KEY or pass --key");
            return 1;
        }
        catch (RpcException e)
        {
            Errors.MarkupLineInterpolated($"[red]{e.StatusCode}[/]: {e.Status.Detail}");
            return 1;
        }
    }

    public static string RequestId() => Guid.NewGuid().ToString("N");
}
