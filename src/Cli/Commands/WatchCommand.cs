using System.CommandLine;
using Grpc.Core;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

public static class WatchCommand
{
    /// <summary>Live marks (StreamMarks) and, with a trader key, the account's positions re-read on each mark.</summary>
    public static Command Watch()
    {
        var command = new Command("watch", "live marks and your positions' equity; Ctrl-C to stop");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var marks = new SortedDictionary<string, MarkUpdate>(StringComparer.Ordinal);
            var accounts = new Accounts.AccountsClient(channel);
            using var stream = new Api.V1.Markets.MarketsClient(channel).StreamMarks(new StreamMarksRequest(), headers, cancellationToken: ct);
            await AnsiConsole.Live(new Text("waiting for marks ...")).StartAsync(async live =>
            {
                await foreach (var mark in stream.ResponseStream.ReadAllAsync(ct))
                {
                    marks[mark.Symbol] = mark;
                    var table = Render.Narrow("marks", "symbol", "mark", "time");
                    foreach (var m in marks.Values)
                    {
                        table.AddRow(m.Symbol, m.MarkPrice, m.MarkTime.Length >= 19 ? m.MarkTime[11..19] : m.MarkTime);
                    }

                    live.UpdateTarget(new Rows(table, await Positions(accounts, headers, ct)));
                }
            });
        }, cancel));
        return command;
    }

    private static async Task<Spectre.Console.Rendering.IRenderable> Positions(Accounts.AccountsClient accounts, Metadata headers, CancellationToken ct)
    {
        try
        {
            var account = await accounts.GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct);
            return new Rows(Render.Account(account), Render.Positions(account.Positions));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            return new Text("(positions: use a trader's API key)");
        }
    }
}
