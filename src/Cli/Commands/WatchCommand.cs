using System.Collections.Concurrent;
using System.CommandLine;
using Grpc.Core;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

public static class WatchCommand
{
    private const int EventLines = 10;

    /// <summary>
    /// Live marks (StreamMarks) and, with a trader key, the account's positions re-read on each mark
    /// and its events (StreamAccountEvents) as lines under the table: a liquidation no longer just vanishes.
    /// </summary>
    public static Command Watch()
    {
        var command = new Command("watch", "live marks, your positions' equity and your account's events; Ctrl-C to stop");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var marks = new SortedDictionary<string, MarkUpdate>(StringComparer.Ordinal);
            var accounts = new Accounts.AccountsClient(channel);
            var events = new ConcurrentQueue<string>();
            _ = ReadEvents(accounts, headers, events, ct);
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

                    live.UpdateTarget(new Rows(table, await Positions(accounts, headers, ct), new Text(string.Join('\n', events))));
                }
            });
        }, cancel));
        return command;
    }

    /// <summary>The account's events from now on, newest last, the latest <see cref="EventLines"/> kept; nothing for an operator's key.</summary>
    private static async Task ReadEvents(Accounts.AccountsClient accounts, Metadata headers, ConcurrentQueue<string> lines, CancellationToken ct)
    {
        try
        {
            using var stream = accounts.StreamAccountEvents(new StreamAccountEventsRequest(), headers, cancellationToken: ct);
            await foreach (var e in stream.ResponseStream.ReadAllAsync(ct))
            {
                lines.Enqueue(e.Entry is { } row
                    ? $"#{e.Sequence} {row.Time[11..19]} {row.Kind} {row.Symbol} qty {row.Quantity} at {row.Price}  realized {row.RealizedPnl}  fee {row.Fee}  wallet {row.WalletBalance}"
                    : $"MARGIN CALL {(e.MarginCall.Symbol.Length > 0 ? e.MarginCall.Symbol : "cross account")}: ratio {e.MarginCall.Ratio}");
                while (lines.Count > EventLines)
                {
                    lines.TryDequeue(out _);
                }
            }
        }
        catch (RpcException)
        {
            // No trader key, or the gateway went away: the marks and positions still show.
        }
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
