using System.Threading.Channels;
using Grpc.Core;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;

namespace MarginOrleans.Gateway.Services;

/// <summary>Anyone may call it (no API key): each call draws from its peer's rate limit.</summary>
public sealed class MarketsService(IGrainFactory grains, MarkFeed feed, KnownMarkets known, Callers callers, GatewayStopping stopping) : Api.V1.Markets.MarketsBase
{
    /// <summary>One stream watches at most this many markets: a request cannot buy unbounded watches.</summary>
    private const int MaxWatched = 64;

    public override async Task<ListMarketsReply> ListMarkets(ListMarketsRequest request, ServerCallContext context)
    {
        callers.Anonymous(context);
        var reply = new ListMarketsReply();
        foreach (var symbol in await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List())
        {
            if (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is { } snapshot)
            {
                reply.Markets.Add(ToApi.Market(snapshot));
            }
        }

        return reply;
    }

    public override async Task<Market> GetMarket(GetMarketRequest request, ServerCallContext context)
    {
        callers.Anonymous(context);
        return ToApi.Market(await Snapshot(await known.Require(request.Symbol)));
    }

    public override async Task<FundingHistoryReply> GetFundingHistory(GetMarketRequest request, ServerCallContext context)
    {
        callers.Anonymous(context);
        var symbol = await known.Require(request.Symbol);
        var reply = new FundingHistoryReply();
        reply.Payments.AddRange((await grains.GetGrain<IMarketGrain>(symbol).GetFundingHistory()).Select(e => new FundingPayment
        {
            Time = Text.Of(e.Time), Rate = Text.Of(e.Rate), MarkPrice = Text.Of(e.MarkPrice),
        }));
        return reply;
    }

    /// <summary>
    /// Each market's current mark, then every mark it publishes, through the gateway's one
    /// subscription per symbol (<see cref="MarkFeed"/>): watchers cost the market nothing per watcher.
    /// A mark older than one already sent (the stream does not promise order) is skipped.
    /// </summary>
    public override async Task StreamMarks(StreamMarksRequest request, IServerStreamWriter<MarkUpdate> responseStream, ServerCallContext context)
    {
        callers.Anonymous(context);
        var asked = request.Symbols.Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (asked.Count > MaxWatched)
        {
            throw Fields.Invalid("symbols", $"at most {MaxWatched} distinct symbols a stream");
        }

        IReadOnlyList<string> symbols = asked.Count > 0
            ? await Task.WhenAll(asked.Select(known.Require))
            : [.. await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List()];
        using var watching = stopping.Link(context);
        var cancel = watching.Token;
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var watches = new List<MarkFeed.Watch>();
        try
        {
            // Watching before reading the current marks: a mark published in between is not lost.
            foreach (var symbol in symbols)
            {
                watches.Add(await feed.Open(symbol));
            }

            foreach (var symbol in symbols)
            {
                if (await Snapshot(symbol) is { HasMark: true } m)
                {
                    await Send(new MarkTick(symbol, m.MarkPrice, m.IndexPrice, m.MarkTime));
                }
            }

            await foreach (var tick in Merged(watches, cancel))
            {
                if (!sent.TryGetValue(tick.Symbol, out var at) || tick.MarkTime > at)
                {
                    await Send(tick);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsStopping)
        {
            throw GatewayStopping.Ended();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The watcher went away.
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }

        async Task Send(MarkTick tick)
        {
            sent[tick.Symbol] = tick.MarkTime;
            await responseStream.WriteAsync(new MarkUpdate
            {
                Symbol = tick.Symbol, MarkPrice = Text.Of(tick.MarkPrice), IndexPrice = Text.Of(tick.IndexPrice), MarkTime = Text.Of(tick.MarkTime),
            }); // never cancelled mid-write: see AccountsService.StreamAccountEvents
        }
    }

    private async Task<MarketSnapshot> Snapshot(string symbol) =>
        await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot()
        ?? throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}").ToException();

    private static async IAsyncEnumerable<MarkTick> Merged(List<MarkFeed.Watch> watches, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        var merged = Channel.CreateUnbounded<MarkTick>();
        var feeding = watches.Select(async watch =>
        {
            await foreach (var tick in watch.Marks.ReadAllAsync(cancel))
            {
                merged.Writer.TryWrite(tick);
            }
        }).ToList();
        _ = Task.WhenAll(feeding).ContinueWith(t => merged.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        await foreach (var tick in merged.Reader.ReadAllAsync(cancel))
        {
            yield return tick;
        }
    }
}
