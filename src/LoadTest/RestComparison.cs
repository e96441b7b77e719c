using System.Diagnostics;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;

namespace MarginOrleans.LoadTest;

/// <summary>
/// The same calls through both doors of one running gateway, in one run: GetMarket and an open
/// then close of one lot, over gRPC and over REST/JSON (the gateway's HTTP/1.1 port), each for a
/// fixed time with a fixed number in flight, the doors' turns interleaved; prints calls per second
/// and REST ÷ gRPC. The rate
/// limit of the trader's key bounds both alike: run it against a gateway whose
/// Gateway:RateLimit is above what it measures.
/// </summary>
public static class RestComparison
{
    private const int Rounds = 6;

    public static async Task Run(string gateway, string rest, string operatorKey, string symbol, TimeSpan each, int concurrency, CancellationToken cancel)
    {
        using var channel = GrpcChannel.ForAddress(gateway);
        var operatorHeaders = new Metadata { { "authorization", "Bearer " + operatorKey } };
        var operations = new Api.V1.Operations.OperationsClient(channel);
        var id = $"bench-{Guid.NewGuid():N}";
        var key = (await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = id, AccountId = id }, operatorHeaders, cancellationToken: cancel)).ApiKey;
        await operations.DepositAsync(new DepositRequest { RequestId = id + "-d", AccountId = id, Amount = "100000000" }, operatorHeaders, cancellationToken: cancel);
        var market = await Market(channel, operatorKey, symbol, cancel);
        var lot = market.LotSize;

        var headers = new Metadata { { "authorization", "Bearer " + key } };
        var markets = new Api.V1.Markets.MarketsClient(channel);
        var positions = new Api.V1.Positions.PositionsClient(channel);
        using var http = new HttpClient { BaseAddress = new Uri(rest) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);

        var (grpcMarket, restMarket) = await Paired(each, concurrency,
            () => markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol }, cancellationToken: cancel).ResponseAsync,
            () => Ok(http.GetAsync($"/v1/markets/{symbol}", cancel)), cancel);
        var (grpcTrade, restTrade) = await Paired(each, concurrency, async () =>
        {
            await positions.OpenPositionAsync(new OpenPositionRequest { RequestId = Guid.NewGuid().ToString("N"), Symbol = symbol, Side = Side.Long, Quantity = lot, Leverage = 1 }, headers, cancellationToken: cancel);
            await positions.ClosePositionAsync(new ClosePositionRequest { RequestId = Guid.NewGuid().ToString("N"), Symbol = symbol, Quantity = lot }, headers, cancellationToken: cancel);
        }, async () =>
        {
            await Ok(http.PostAsJsonAsync("/v1/positions:open", new { requestId = Guid.NewGuid().ToString("N"), symbol, side = "SIDE_LONG", quantity = lot, leverage = 1 }, cancel));
            await Ok(http.PostAsJsonAsync($"/v1/positions/{symbol}:close", new { requestId = Guid.NewGuid().ToString("N"), quantity = lot }, cancel));
        }, cancel);

        Console.WriteLine($"{"call",-22}{"gRPC/s",10}{"REST/s",10}{"REST÷gRPC",11}");
        Console.WriteLine($"{"GetMarket",-22}{grpcMarket,10:F0}{restMarket,10:F0}{restMarket / grpcMarket,11:F2}");
        Console.WriteLine($"{"open+close (pairs)",-22}{grpcTrade,10:F0}{restTrade,10:F0}{restTrade / grpcTrade,11:F2}");
    }

    /// <summary>The symbol's market; on a fresh cluster (scripts/load.sh seeds none) created as the cascade creates its own, at its start price.</summary>
    private static async Task<Market> Market(GrpcChannel channel, string operatorKey, string symbol, CancellationToken cancel)
    {
        var markets = new Api.V1.Markets.MarketsClient(channel);
        try
        {
            return await markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol }, cancellationToken: cancel);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            await new GatewayTarget(channel, operatorKey).CreateMarket(symbol, LoadMarket.Start, 4, sharedFund: false, fundingSeconds: 0);
            await new Api.V1.Operations.OperationsClient(channel).PublishPriceAsync(
                new PublishPriceRequest { Symbol = symbol, MarkPrice = LoadMarket.Start.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new Metadata { { "authorization", "Bearer " + operatorKey } }, cancellationToken: cancel);
            return await markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol }, cancellationToken: cancel);
        }
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Calls per second through each door, over <see cref="Rounds"/> slices of <paramref name="each"/>
    /// taken in the order gRPC, REST, REST, gRPC, …: whatever drifts during the run (the account's
    /// history, the machine's other load) falls on both doors alike.
    /// </summary>
    private static async Task<(double OverGrpc, double OverRest)> Paired(TimeSpan each, int concurrency, Func<Task> grpc, Func<Task> rest, CancellationToken cancel)
    {
        var (grpcRun, restRun) = ((Calls: 0L, Seconds: 0.0), (Calls: 0L, Seconds: 0.0));
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var restTurn in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var (calls, seconds) = await Run(each / Rounds, concurrency, restTurn ? rest : grpc, cancel);
                if (restTurn)
                {
                    restRun = (restRun.Calls + calls, restRun.Seconds + seconds);
                }
                else
                {
                    grpcRun = (grpcRun.Calls + calls, grpcRun.Seconds + seconds);
                }
            }
        }

        return (grpcRun.Calls / grpcRun.Seconds, restRun.Calls / restRun.Seconds);
    }

    /// <summary>Completed calls and the seconds they took: <paramref name="concurrency"/> loops, each calling until the time is up.</summary>
    private static async Task<(long Calls, double Seconds)> Run(TimeSpan duration, int concurrency, Func<Task> call, CancellationToken cancel)
    {
        var done = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration && !cancel.IsCancellationRequested)
            {
                await call();
                Interlocked.Increment(ref done);
            }
        }));
        return (done, clock.Elapsed.TotalSeconds);
    }
}
