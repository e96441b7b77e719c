using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;

namespace MarginOrleans.LoadTest;

/// <summary>Calls the gRPC gateway as trading clients do: the operator key for setup and prices, each trader's own key for its commands.</summary>
public sealed class GatewayTarget(GrpcChannel channel, string operatorKey) : ILoadTarget
{
    private sealed class Watchers(CancellationTokenSource stop, List<AsyncServerStreamingCall<MarkUpdate>> streams, List<Task> reading) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(reading);
            streams.ForEach(s => s.Dispose());
            stop.Dispose();
        }
    }

    /// <summary>Longer than any call of a run takes, the audit of 10,000 accounts on Azurite included.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly Api.V1.Operations.OperationsClient operations = new(channel.Intercept(new CallDeadline(Deadline)));
    private readonly Api.V1.Markets.MarketsClient markets = new(channel.Intercept(new CallDeadline(Deadline)));
    private readonly Api.V1.Positions.PositionsClient positions = new(channel.Intercept(new CallDeadline(Deadline)));
    private readonly Api.V1.Accounts.AccountsClient accounts = new(channel.Intercept(new CallDeadline(Deadline)));

    private Metadata Operator => Bearer(operatorKey);

    public async Task CreateMarket(string symbol, decimal startPrice, int triggerShards, bool sharedFund, int fundingSeconds)
    {
        var spec = new MarketSpec
        {
            Symbol = symbol, TickSize = LoadMarket.TickSize.ToString(CultureInfo.InvariantCulture), LotSize = "0.001", TakerFeeRate = "0.0005", TriggerShards = triggerShards, SharedInsuranceFund = sharedFund,
            FundingIntervalSeconds = fundingSeconds,
        };
        spec.Brackets.AddRange(LoadMarket.Brackets.Select(b => new BracketSpec
        {
            NotionalCap = Text(b.NotionalCap), MaintenanceMarginRate = Text(b.MaintenanceMarginRate), LeverageMax = b.LeverageMax,
        }));
        try
        {
            await operations.CreateMarketAsync(spec, Operator);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // A retry after a lost reply: the run's own fresh symbol, created by the first attempt.
        }

        await PublishPrice(symbol, startPrice);
    }

    public async Task<DateTimeOffset> NextFundingTime(string symbol) =>
        DateTimeOffset.Parse((await markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol })).NextFundingTime, CultureInfo.InvariantCulture);

    public async Task<IAsyncDisposable> WatchMarks(string symbol, int watchers, Action received)
    {
        var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, watchers).Select(_ => markets.StreamMarks(new StreamMarksRequest { Symbols = { symbol } }, cancellationToken: stop.Token)).ToList();
        var reading = streams.Select(async stream =>
        {
            try
            {
                await foreach (var _ in stream.ResponseStream.ReadAllAsync(stop.Token))
                {
                    received();
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }).ToList();
        return new Watchers(stop, streams, reading);
    }

    public async Task<int> PublishPrice(string symbol, decimal mark) =>
        (await operations.PublishPriceAsync(new PublishPriceRequest { Symbol = symbol, MarkPrice = Text(mark) }, Operator)).Fired;

    public async Task PublishSourcePrice(string symbol, string source, decimal price) =>
        await operations.PublishSourcePriceAsync(new PublishSourcePriceRequest { Symbol = symbol, Source = source, Price = Text(price) }, Operator);

    public async Task<int?> TriggerCount(string symbol) =>
        await markets.GetMarketAsync(new GetMarketRequest { Symbol = symbol }) is var market && market.TriggerShardsUnheard == 0 ? market.OpenTriggers : null;

    /// <summary>A repeat of a CreateAccount whose first reply was lost returns no key: the trader cannot act (<see cref="KeyLostException"/>).</summary>
    public async Task<string> CreateAccount(string accountId) =>
        (await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = accountId, AccountId = accountId }, Operator)).ApiKey is { Length: > 0 } key
            ? key
            : throw new KeyLostException(accountId);

    public async Task Deposit(string accountId, decimal amount) =>
        await operations.DepositAsync(new DepositRequest { RequestId = accountId + "/deposit", AccountId = accountId, Amount = Text(amount) }, Operator);

    public async Task SetHedgeMode(Trader trader) =>
        await accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = trader.AccountId + "/hedge", PositionMode = PositionMode.Hedge }, Bearer(trader.ApiKey));

    public Task<decimal> OpenLong(Trader trader, string symbol, decimal quantity, int leverage, string command = "/open") =>
        Open(trader, command, symbol, Side.Long, trader.Hedge ? PositionSide.Long : PositionSide.Both, quantity, leverage);

    public Task<decimal> OpenShortLeg(Trader trader, string symbol, decimal quantity, int leverage) =>
        Open(trader, "/open-short", symbol, Side.Short, PositionSide.Short, quantity, leverage);

    private async Task<decimal> Open(Trader trader, string command, string symbol, Side side, PositionSide leg, decimal quantity, int leverage)
    {
        var reply = await positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = trader.AccountId + command, Symbol = symbol, Side = side, Quantity = Text(quantity), Leverage = leverage, PositionSide = leg,
        }, Bearer(trader.ApiKey));
        return decimal.Parse(reply.Position.LiquidationPrice, CultureInfo.InvariantCulture);
    }

    public async Task Send(Trader trader, string symbol, PositionStep step, decimal margin)
    {
        var (requestId, leg, headers) = (trader.AccountId + "/" + step, trader.Hedge ? PositionSide.Long : PositionSide.Both, Bearer(trader.ApiKey));
        _ = step switch
        {
            PositionStep.AddMargin => await positions.AddMarginAsync(new MarginRequest { RequestId = requestId, Symbol = symbol, Amount = Text(margin), PositionSide = leg }, headers),
            PositionStep.RemoveMargin => await positions.RemoveMarginAsync(new MarginRequest { RequestId = requestId, Symbol = symbol, Amount = Text(margin), PositionSide = leg }, headers),
            PositionStep.SetTakeProfitStopLoss => await positions.SetTakeProfitStopLossAsync(new SetTakeProfitStopLossRequest
            {
                RequestId = requestId, Symbol = symbol, TakeProfitPrice = Text(StepFigure.Orders.TakeProfit), StopLossPrice = Text(StepFigure.Orders.StopLoss), PositionSide = leg,
            }, headers),
            PositionStep.ClearTakeProfitStopLoss => await positions.SetTakeProfitStopLossAsync(new SetTakeProfitStopLossRequest { RequestId = requestId, Symbol = symbol, PositionSide = leg }, headers),
            PositionStep.Close => await positions.ClosePositionAsync(new ClosePositionRequest { RequestId = requestId, Symbol = symbol, PositionSide = leg }, headers),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "opening again is OpenLong"),
        };
    }

    public async Task<JournalFacts> Journal(Trader trader, string symbol)
    {
        var rows = (await accounts.GetJournalAsync(new GetJournalRequest { FromSequence = 1, Limit = 50 }, Bearer(trader.ApiKey))).Entries;
        var liquidations = rows.Where(e => e.Kind == "Liquidation" && e.Symbol == symbol).ToList();
        return new JournalFacts(liquidations.Count > 0 ? DateTimeOffset.Parse(liquidations[0].Time, CultureInfo.InvariantCulture) : null,
            rows.Count(e => e.Kind == "Deposit"), rows.Count(e => e.Kind == "PositionOpened"), liquidations.Count, rows.Count(e => e.Kind == "PositionModeSet"),
            rows.Count(e => JournalFacts.PositionCommandKinds.Contains(e.Kind)));
    }

    public async Task<decimal> AuditDiscrepancy() =>
        decimal.Parse((await operations.AuditAsync(new AuditRequest(), Operator)).Discrepancy, CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
