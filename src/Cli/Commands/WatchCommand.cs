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

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Live marks (StreamMarks) and, with a trader key, the account's positions re-read on each mark
    /// and its events (StreamAccountEvents) as lines under the table: a liquidation no longer just vanishes.
    /// Redirected (a pipe, a file) there is nothing to redraw: one plain line per mark and per event.
    /// </summary>
    public static Command Watch()
    {
        var command = new Command("watch", "live marks, your positions' equity and your account's events; survives a gateway restart; Ctrl-C to stop. Redirected: one line per mark and per event");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var accounts = new Accounts.AccountsClient(channel);
            var next = await FirstSequence(accounts, headers, ct);
            if (Console.IsOutputRedirected)
            {
                await Lines(channel, accounts, headers, next, ct);
            }
            else
            {
                await Live(channel, accounts, headers, next, ct);
            }
        }, cancel));
        return command;
    }

    private static async Task Lines(GrpcChannel channel, Accounts.AccountsClient accounts, Metadata headers, long next, CancellationToken ct)
    {
        var gate = new object();
        void Print(string line)
        {
            lock (gate)
            {
                Console.Out.WriteLine(line); // Console.Out flushes each line: a reader of the pipe sees it at once
            }
        }

        _ = ReadEvents(channel, accounts, headers, next, Print, ct);
        await ReadMarks(channel, headers, (mark, figures) =>
        {
            Print(WatchLines.Mark(mark, figures));
            return Task.CompletedTask;
        }, Print, ct);
    }

    private static async Task Live(GrpcChannel channel, Accounts.AccountsClient accounts, Metadata headers, long next, CancellationToken ct)
    {
        var marks = new SortedDictionary<string, MarkUpdate>(StringComparer.Ordinal);
        var events = new ConcurrentQueue<string>();
        _ = ReadEvents(channel, accounts, headers, next, line =>
        {
            events.Enqueue(line);
            while (events.Count > EventLines)
            {
                events.TryDequeue(out _);
            }
        }, ct);
        await AnsiConsole.Live(new Text("waiting for marks ...")).StartAsync(live => ReadMarks(channel, headers, async (mark, figures) =>
        {
            marks[mark.Symbol] = mark;
            live.UpdateTarget(new Rows(Marks(marks, figures), await Positions(accounts, headers, figures, ct), new Text(string.Join('\n', events))));
        }, lost => live.UpdateTarget(new Rows(Marks(marks, null), new Text(lost))), ct));
    }

    /// <summary>Every mark from now on, reconnecting while the gateway is away; <paramref name="lost"/> hears each lost connection.</summary>
    private static async Task ReadMarks(GrpcChannel channel, Metadata headers, Func<MarkUpdate, Figures, Task> onMark, Action<string> lost, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var figures = await Figures.Read(channel, headers, ct);
                using var stream = new Api.V1.Markets.MarketsClient(channel).StreamMarks(new StreamMarksRequest(), headers, cancellationToken: ct);
                await foreach (var mark in stream.ResponseStream.ReadAllAsync(ct))
                {
                    await onMark(mark, figures);
                }

                await Task.Delay(Reconnect, ct); // the stream ended (no markets yet): ask again, not in a loop
            }
            catch (RpcException e) when (Lost(e, ct))
            {
                lost($"gateway {channel.Target} unreachable ({e.StatusCode}); reconnecting every {Reconnect.TotalSeconds:0} s ...");
                await Task.Delay(Reconnect, ct);
            }
        }
    }

    /// <summary>A gateway that went away (restart, network): worth reconnecting to, unlike a refusal or the user's Ctrl-C.</summary>
    private static bool Lost(RpcException e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown or StatusCode.Internal or StatusCode.Cancelled
            or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    private static FittedTable Marks(SortedDictionary<string, MarkUpdate> marks, Figures? figures)
    {
        var table = Render.Narrow("marks", "symbol", "mark", "time");
        foreach (var m in marks.Values)
        {
            table.AddRow(m.Symbol, figures?.Price(m.Symbol, m.MarkPrice) ?? m.MarkPrice, WatchLines.Clock(m.MarkTime));
        }

        return table;
    }

    /// <summary>
    /// The row after the newest when watch starts, read before anything is shown: an event after
    /// the first line is never missed, however late the event stream connects. 0 (from now on) for an operator's key.
    /// </summary>
    private static async Task<long> FirstSequence(Accounts.AccountsClient accounts, Metadata headers, CancellationToken ct)
    {
        try
        {
            return (await accounts.GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct)).JournalSequence + 1;
        }
        catch (RpcException) when (!ct.IsCancellationRequested)
        {
            return 0; // no trader key (or no gateway yet): from now on
        }
    }

    /// <summary>
    /// The account's events from <paramref name="next"/> on, each as a line; after a lost gateway it
    /// resumes from the sequence after the last one seen (no gap, no repeat). Nothing for an operator's key.
    /// </summary>
    private static async Task ReadEvents(GrpcChannel channel, Accounts.AccountsClient accounts, Metadata headers, long next, Action<string> line, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var figures = await Figures.Read(channel, headers, ct);
                using var stream = accounts.StreamAccountEvents(new StreamAccountEventsRequest { FromSequence = next }, headers, cancellationToken: ct);
                await foreach (var e in stream.ResponseStream.ReadAllAsync(ct))
                {
                    next = e.Entry is not null ? e.Sequence + 1 : next;
                    line(WatchLines.Event(e, figures));
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
