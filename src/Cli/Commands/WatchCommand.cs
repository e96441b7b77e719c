using System.Collections.Concurrent;
using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
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
        var command = new Command("watch", "live marks, your positions' equity and your account's events; survives a gateway restart; Ctrl-C to stop");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var marks = new SortedDictionary<string, MarkUpdate>(StringComparer.Ordinal);
            var accounts = new Accounts.AccountsClient(channel);
            var events = new ConcurrentQueue<string>();
            _ = ReadEvents(channel, accounts, headers, events, ct);
            await AnsiConsole.Live(new Text("waiting for marks ...")).StartAsync(async live =>
            {
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        var figures = await Figures.Read(channel, headers, ct);
                        using var stream = new Api.V1.Markets.MarketsClient(channel).StreamMarks(new StreamMarksRequest(), headers, cancellationToken: ct);
                        await foreach (var mark in stream.ResponseStream.ReadAllAsync(ct))
                        {
                            marks[mark.Symbol] = mark;
                            live.UpdateTarget(new Rows(Marks(marks, figures), await Positions(accounts, headers, figures, ct), new Text(string.Join('\n', events))));
                        }

                        await Task.Delay(Reconnect, ct); // the stream ended (no markets yet): ask again, not in a loop
                    }
                    catch (RpcException e) when (Lost(e, ct))
                    {
                        live.UpdateTarget(new Rows(Marks(marks, null), new Text($"gateway {channel.Target} unreachable ({e.StatusCode}); reconnecting every {Reconnect.TotalSeconds:0} s ...")));
                        await Task.Delay(Reconnect, ct);
                    }
                }
            });
        }, cancel));
        return command;
    }

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    /// <summary>A gateway that went away (restart, network): worth reconnecting to, unlike a refusal or the user's Ctrl-C.</summary>
    private static bool Lost(RpcException e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown or StatusCode.Internal or StatusCode.Cancelled
            or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    private static FittedTable Marks(SortedDictionary<string, MarkUpdate> marks, Figures? figures)
    {
        var table = Render.Narrow("marks", "symbol", "mark", "time");
        foreach (var m in marks.Values)
        {
            table.AddRow(m.Symbol, figures?.Price(m.Symbol, m.MarkPrice) ?? m.MarkPrice, m.MarkTime.Length >= 19 ? m.MarkTime[11..19] : m.MarkTime);
        }

        return table;
    }

    /// <summary>
    /// The account's events from now on, newest last, the latest <see cref="EventLines"/> kept; after a
    /// lost gateway it resumes from the sequence after the last one seen (no gap, no repeat). Nothing for an operator's key.
    /// </summary>
    private static async Task ReadEvents(GrpcChannel channel, Accounts.AccountsClient accounts, Metadata headers, ConcurrentQueue<string> lines, CancellationToken ct)
    {
        // From the row after the newest now, so a reconnect before the first event still misses nothing.
        var next = 0L;
        try
        {
            next = (await accounts.GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct)).JournalSequence + 1;
        }
        catch (RpcException)
        {
            // no trader key (or no gateway yet): from now on
        }

        while (!ct.IsCancellationRequested)
        {
            try
            {
                var figures = await Figures.Read(channel, headers, ct);
                using var stream = accounts.StreamAccountEvents(new StreamAccountEventsRequest { FromSequence = next }, headers, cancellationToken: ct);
                await foreach (var e in stream.ResponseStream.ReadAllAsync(ct))
                {
                    next = e.Entry is not null ? e.Sequence + 1 : next;
                    lines.Enqueue(e.Entry is { } row
                        ? $"#{e.Sequence} {row.Time[11..19]} {row.Kind} {row.Symbol} qty {row.Quantity} at {figures.Price(row.Symbol, row.Price)}  realized {Figures.Money(row.RealizedPnl)}  fee {Figures.Money(row.Fee)}  wallet {Figures.Money(row.WalletBalance)}"
                        : $"MARGIN CALL {(e.MarginCall.Symbol.Length > 0 ? e.MarginCall.Symbol : "cross account")}: ratio {e.MarginCall.Ratio}");
                    while (lines.Count > EventLines)
                    {
                        lines.TryDequeue(out _);
                    }
                }
            }
            catch (RpcException e) when (Lost(e, ct))
            {
                await Task.Delay(Reconnect, ct);
            }
            catch (RpcException)
            {
                return; // no trader key: the marks still show
            }
        }
    }

    private static async Task<Spectre.Console.Rendering.IRenderable> Positions(Accounts.AccountsClient accounts, Metadata headers, Figures figures, CancellationToken ct)
    {
        try
        {
            var account = await accounts.GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct);
            return new Rows(Render.Account(account), Render.Positions(account.Positions, figures));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            return new Text("(positions: use a trader's API key)");
        }
    }
}
