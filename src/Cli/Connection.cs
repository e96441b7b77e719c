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

    public static readonly Option<string> Key = new("--key")
    {
        Description = "API key (env MARGIN_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MARGIN_API_KEY") ?? "",
    };

    /// <summary>Runs <paramref name="body"/> with a channel and auth headers; a gRPC error prints its status and exits 1.</summary>
    public static async Task<int> Run(ParseResult parse, Func<GrpcChannel, Metadata, CancellationToken, Task> body, CancellationToken cancel)
    {
        using var channel = GrpcChannel.ForAddress(parse.GetValue(Gateway)!);
        var headers = new Metadata();
        if (parse.GetValue(Key) is { Length: > 0 } key)
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
        catch (RpcException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.StatusCode}[/]: {e.Status.Detail}");
            return 1;
        }
    }

    public static string RequestId() => Guid.NewGuid().ToString("N");
}
