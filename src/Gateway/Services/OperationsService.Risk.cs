using Grpc.Core;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;
using MarginOrleans.Operations;

namespace MarginOrleans.Gateway.Services;

/// <summary>
/// The operator's read-only risk views, asked of every trigger shard of a market at once (as the
/// auto-deleveraging queue is) and summed here: no state is changed, no owner is woken.
/// </summary>
public sealed partial class OperationsService
{
    /// <summary>Buckets below and above the mark's own when the caller names none, and at most.</summary>
    public const int BucketsEachSideDefault = 10, BucketsEachSideMax = 200;

    public override async Task<LiquidationHeatmapReply> LiquidationHeatmap(LiquidationHeatmapRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var market = await Marked(request.Symbol);
        var size = request.BucketSize.Length > 0 ? Fields.PositiveDecimal(request.BucketSize, "bucket_size") : DefaultBucket(market);
        var each = request.BucketsEachSide switch
        {
            0 => BucketsEachSideDefault,
            >= 1 and <= BucketsEachSideMax => request.BucketsEachSide,
            _ => throw Fields.Invalid("buckets_each_side", $"must be 0 (meaning {BucketsEachSideDefault}) to {BucketsEachSideMax}"),
        };

        // The mark's own bucket in the middle, on whole multiples of the size.
        var lowest = (Math.Floor(market.MarkPrice / size) - each) * size;
        var count = 2 * each + 1;
        var cells = (await Task.WhenAll(grains.All(market.Spec).Select(shard => shard.LiquidationHeat(lowest, size, count)))).SelectMany(c => c).ToList();
        var reply = new LiquidationHeatmapReply { Symbol = market.Spec.Symbol, MarkPrice = Text.Of(market.MarkPrice), BucketSize = Text.Of(size) };
        for (var bucket = 0; bucket < count; bucket++)
        {
            var longs = cells.Where(c => c.Bucket == bucket && c.Side == Markets.PositionSide.Long).ToList();
            var shorts = cells.Where(c => c.Bucket == bucket && c.Side == Markets.PositionSide.Short).ToList();
            reply.Buckets.Add(new HeatmapBucket
            {
                Low = Text.Of(lowest + bucket * size), High = Text.Of(lowest + (bucket + 1) * size),
                LongNotional = Text.Of(longs.Sum(c => c.Notional)), LongCount = longs.Sum(c => c.Count),
                ShortNotional = Text.Of(shorts.Sum(c => c.Notional)), ShortCount = shorts.Sum(c => c.Count),
            });
        }

        return reply;
    }

    public override async Task<StressTestReply> StressTest(StressTestRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var market = await Marked(request.Symbol);
        var mark = Fields.PositiveDecimal(request.MarkPrice, "mark_price");
        var fired = (await Task.WhenAll(grains.All(market.Spec).Select(shard => shard.Stress(mark)))).SelectMany(s => s)
            .OrderBy(e => Math.Abs(e.LiquidationPrice - market.MarkPrice)).ThenBy(e => e.Owner, StringComparer.Ordinal).ToList();
        var fund = await grains.GetGrain<IInsuranceFundGrain>(market.Spec.InsuranceFund).Get();
        var pays = fired.Where(e => e.ToFund < 0m).Sum(e => -e.ToFund);
        var reply = new StressTestReply
        {
            Symbol = market.Spec.Symbol, MarkPrice = Text.Of(mark),
            FundReceives = Text.Of(fired.Where(e => e.ToFund > 0m).Sum(e => e.ToFund)), FundPays = Text.Of(pays),
            InsuranceFund = Fund(market.Spec.InsuranceFund, fund),
            WouldDeleverage = fund.Owed > 0m || pays > fund.Balance,
        };
        reply.Positions.AddRange(fired.Select(e => Stressed(e, mark)));
        return reply;
    }

    private static StressedPosition Stressed(StressedEntry entry, decimal mark)
    {
        var key = TriggerKey.Parse(entry.Owner);
        return new StressedPosition
        {
            AccountId = key.AccountId, Side = ToApi.Side(entry.Side), PositionSide = ToApi.Leg(key.Leg), Cross = key.Owner == TriggerOwnerKind.CrossAccount,
            Quantity = Text.Of(entry.Quantity), EntryPrice = Text.Of(entry.EntryPrice), LiquidationPrice = Text.Of(entry.LiquidationPrice),
            BankruptcyPrice = Text.Of(entry.BankruptcyPrice), Notional = Text.Of(entry.Quantity * mark), ToInsuranceFund = Text.Of(entry.ToFund),
        };
    }

    /// <summary>A listed market with a mark: the views are around it.</summary>
    private async Task<MarketSnapshot> Marked(string text)
    {
        var symbol = Fields.Symbol(text);
        var market = await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() ?? throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}").ToException();
        return market.HasMark ? market : throw new Rejected(Rejection.MarkPriceMissing, $"{symbol} has no mark price yet").ToException();
    }

    /// <summary>1% of the mark, down to a multiple of the tick, and at least one tick.</summary>
    private static decimal DefaultBucket(MarketSnapshot market) =>
        Math.Max(market.Spec.TickSize, Math.Floor(market.MarkPrice / 100m / market.Spec.TickSize) * market.Spec.TickSize);
}
