using MarginOrleans.Accounts;
using MarginOrleans.Markets;
using MarginOrleans.Operations;
using MarginOrleans.Positions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace MarginOrleans.LoadTest;

/// <summary>Calls the grains directly through an Orleans client connected to one silo's gateway port.</summary>
public sealed class OrleansTarget(IHost? client, IGrainFactory grains) : ILoadTarget
{
    public IGrainFactory Grains => grains;

    public static async Task<OrleansTarget> Connect(int siloGatewayPort, string clusterId, CancellationToken cancel)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (clusterId, MarginCluster.ServiceId))
            .UseLocalhostClustering(siloGatewayPort, MarginCluster.ServiceId, clusterId));
        var host = builder.Build();
        await host.StartAsync(cancel);
        return new OrleansTarget(host, host.Services.GetRequiredService<IGrainFactory>());
    }

    public async Task CreateMarket(string symbol, decimal startPrice, int triggerShards, bool sharedFund, int fundingSeconds)
    {
        var market = grains.GetGrain<IMarketGrain>(symbol);
        var created = await market.Create(new MarketSpec(symbol, LoadMarket.TickSize, 0.001m, 0.0005m, LoadMarket.Brackets, triggerShards,
            fundingSeconds > 0 ? new FundingSpec(fundingSeconds) : null, SharedInsuranceFund: sharedFund));
        Check(created.Reason == Rejection.MarketExists ? Rejected.Ok : created); // a retry after a lost reply
        Check((await market.PublishPrice(startPrice, startPrice)).Result);
    }

    public async Task<DateTimeOffset> NextFundingTime(string symbol) =>
        (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot())!.Funding.Next;

    public async Task<int> PublishPrice(string symbol, decimal mark)
    {
        var update = await grains.GetGrain<IMarketGrain>(symbol).PublishPrice(mark, mark);
        Check(update.Result);
        return update.Fired;
    }

    public async Task PublishSourcePrice(string symbol, string source, decimal price) =>
        Check((await grains.GetGrain<IMarketGrain>(symbol).PublishSourcePrice(source, price)).Result);

    public Task<IAsyncDisposable> WatchMarks(string symbol, int watchers, Action received) =>
        throw new NotSupportedException("mark watchers are gRPC streams of the gateway: run with --via gateway");

    public async Task<int?> TriggerCount(string symbol) =>
        await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is { ShardsUnheard: 0 } market ? market.TriggerCount : null;

    public async Task<string> CreateAccount(string accountId)
    {
        var account = grains.GetGrain<IAccountGrain>(accountId);
        Check((await AssumedNew.Call(account, () => account.Create(accountId))).Result); // as the gateway creates
        return "";
    }

    public async Task Deposit(string accountId, decimal amount) =>
        Check((await grains.GetGrain<IAccountGrain>(accountId).Deposit(accountId + "/deposit", amount)).Result);

    public async Task SetHedgeMode(Trader trader) =>
        Check((await grains.GetGrain<IAccountGrain>(trader.AccountId).SetPositionMode(trader.AccountId + "/hedge", PositionMode.Hedge)).Result);

    public Task<decimal> OpenLong(Trader trader, string symbol, decimal quantity, int leverage, string command = "/open") =>
        Open(trader, command, new OpenOrder(symbol, PositionSide.Long, quantity, leverage, null, LegSide: trader.Hedge ? LegSide.Long : LegSide.Both));

    public Task<decimal> OpenShortLeg(Trader trader, string symbol, decimal quantity, int leverage) =>
        Open(trader, "/open-short", new OpenOrder(symbol, PositionSide.Short, quantity, leverage, null, LegSide: LegSide.Short));

    private async Task<decimal> Open(Trader trader, string command, OpenOrder order)
    {
        var opened = await grains.GetGrain<IAccountGrain>(trader.AccountId).OpenPosition(trader.AccountId + command, order);
        Check(opened.Result);
        return opened.Position?.LiquidationPrice ?? 0m;
    }

    public async Task Send(Trader trader, string symbol, PositionStep step, decimal margin)
    {
        var (account, requestId, leg) = (grains.GetGrain<IAccountGrain>(trader.AccountId), trader.AccountId + "/" + step, new LegKey(symbol, trader.Hedge ? LegSide.Long : LegSide.Both));
        Check((step switch
        {
            PositionStep.AddMargin => await account.AddMargin(requestId, leg, margin),
            PositionStep.RemoveMargin => await account.RemoveMargin(requestId, leg, margin),
            PositionStep.SetTakeProfitStopLoss => await account.SetTakeProfitStopLoss(requestId, leg, StepFigure.Orders.TakeProfit, StepFigure.Orders.StopLoss),
            PositionStep.ClearTakeProfitStopLoss => await account.SetTakeProfitStopLoss(requestId, leg, null, null),
            PositionStep.Close => await account.ClosePosition(requestId, leg, null),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "opening again is OpenLong"),
        }).Result);
    }

    public async Task<JournalFacts> Journal(Trader trader, string symbol)
    {
        var rows = await grains.GetGrain<IAccountGrain>(trader.AccountId).GetJournal(1, 50);
        var liquidations = rows.Where(e => e.Kind == JournalKind.Liquidation && e.Symbol == symbol).ToList();
        return new JournalFacts(liquidations.FirstOrDefault()?.Time, rows.Count(e => e.Kind == JournalKind.Deposit),
            rows.Count(e => e.Kind == JournalKind.PositionOpened), liquidations.Count, rows.Count(e => e.Kind == JournalKind.PositionModeSet),
            rows.Count(e => JournalFacts.PositionCommandKinds.Contains(e.Kind.ToString())));
    }

    public async Task<decimal> AuditDiscrepancy() => (await grains.GetGrain<IAuditGrain>(Audits.Key).Run()).Discrepancy;

    public async ValueTask DisposeAsync()
    {
        if (client is not null)
        {
            await client.StopAsync();
            client.Dispose();
        }
    }

    private static void Check(Rejected result)
    {
        if (!result.IsOk)
        {
            throw new InvalidOperationException($"{result.Reason}: {result.Detail}");
        }
    }
}
