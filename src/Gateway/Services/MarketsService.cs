using Grpc.Core;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;

namespace MarginOrleans.Gateway.Services;

public sealed class MarketsService(IGrainFactory grains) : Api.V1.Markets.MarketsBase
{
    private static readonly TimeSpan StreamPoll = TimeSpan.FromMilliseconds(250);

    public override async Task<ListMarketsReply> ListMarkets(ListMarketsRequest request, ServerCallContext context)
    {
        var reply = new ListMarketsReply();
        foreach (var symbol in await grains.GetGrain<IMarketDirectoryGrain>("all").List())
        {
            if (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is { } snapshot)
            {
                reply.Markets.Add(ToApi.Market(snapshot));
            }
        }

        return reply;
    }

    public override async Task<Market> GetMarket(GetMarketRequest request, ServerCallContext context) =>
        ToApi.Market(await Snapshot(Fields.Symbol(request.Symbol)));

    public override async Task<FundingHistoryReply> GetFundingHistory(GetMarketRequest request, ServerCallContext context)
    {
        var symbol = Fields.Symbol(request.Symbol);
        await Snapshot(symbol); // NotFound for an unknown symbol
        var reply = new FundingHistoryReply();
        reply.Payments.AddRange((await grains.GetGrain<IMarketGrain>(symbol).GetFundingHistory()).Select(e => new FundingPayment
        {
            Time = Text.Of(e.Time), Rate = Text.Of(e.Rate), MarkPrice = Text.Of(e.MarkPrice),
        }));
        return reply;
    }

    /// <summary>
    /// Polls each market's mark and sends changes: a watcher's fan-out that costs the market one
    /// read per poll per stream, and never touches a position.
    /// </summary>
    public override async Task StreamMarks(StreamMarksRequest request, IServerStreamWriter<MarkUpdate> responseStream, ServerCallContext context)
    {
        var symbols = request.Symbols.Count > 0
            ? request.Symbols.Select(Fields.Symbol).ToList()
            : [.. await grains.GetGrain<IMarketDirectoryGrain>("all").List()];
        foreach (var symbol in symbols)
        {
            await Snapshot(symbol);
        }

        var sent = new Dictionary<string, DateTimeOffset>();
        using var timer = new PeriodicTimer(StreamPoll);
        do
        {
            foreach (var symbol in symbols)
            {
                var m = await Snapshot(symbol);
                if (m.HasMark && (!sent.TryGetValue(symbol, out var at) || at != m.MarkTime))
                {
                    sent[symbol] = m.MarkTime;
                    await responseStream.WriteAsync(new MarkUpdate
                    {
                        Symbol = symbol, MarkPrice = Text.Of(m.MarkPrice), IndexPrice = Text.Of(m.IndexPrice), MarkTime = Text.Of(m.MarkTime),
                    });
                }
            }
        }
        while (await Next(timer, context.CancellationToken));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<MarketSnapshot> Snapshot(string symbol) =>
        await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot()
        ?? throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}").ToException();
}
