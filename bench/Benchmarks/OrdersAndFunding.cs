using System.Diagnostics;
using MarginOrleans.Markets;
using MarginOrleans.Risk;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// Order and funding costs on one shard's index of 100,000 positions (long liquidation prices spread over
/// 10,000–19,999.9, stop-losses halfway to 20,000, take-profits above 21,000, marks from 20,000 up): a tick when every position also holds a take-profit and a
/// stop-loss (300,000 entries) against liquidation triggers only; and a funding time — what the
/// next tick wakes and costs beside an ordinary tick.
/// Run: dotnet run -c Release --project bench/Benchmarks -- orders
/// </summary>
public static class OrdersAndFunding
{
    private const int Positions = 100_000;
    private const int Ticks = 200_000;

    public static void Print()
    {
        var liquidationOnly = Build(withOrders: false);
        var withOrders = Build(withOrders: true);
        var alone = TickNanoseconds(liquidationOnly);
        var ordered = TickNanoseconds(withOrders);
        Console.WriteLine($"tick crossing nothing, {Positions:N0} positions, liquidation triggers only: {alone:N0} ns ({liquidationOnly.Count:N0} entries)");
        Console.WriteLine($"the same, each also holding a take-profit and a stop-loss:          {ordered:N0} ns ({withOrders.Count:N0} entries) — ratio {ordered / alone:F2}");

        // A funding time: F = 0.01% at 20,000 is 2 per unit; the longs' shift is 2 / (1 − 50%), the table's largest MMR.
        var (longs, shorts) = FundingMath.Shifts(0.0001m * 20_000m, 0.5m);
        FundingTick(Build(withOrders: true), longs, shorts); // the first one also compiles the path
        var (woken, fundingTick) = FundingTick(withOrders, longs, shorts);
        Console.WriteLine($"funding time: 0 grain calls and 0 storage writes at the funding time (the market's index moves, O(1));");
        Console.WriteLine($"  the next tick (mark 20,000, which crosses nothing unshifted) moves long liquidation triggers by {longs} and wakes the {woken:N0} positions");
        Console.WriteLine($"  within that of their price, in {fundingTick:N1} µs (an ordinary tick: {ordered / 1000:N1} µs)");
    }

    private static (int Woken, double Microseconds) FundingTick(TriggerIndex index, decimal longs, decimal shorts)
    {
        var clock = Stopwatch.StartNew();
        index.Shift(longs, shorts);
        var woken = index.Fire(20_000m, DateTimeOffset.UnixEpoch).Count;
        return (woken, clock.Elapsed.TotalMicroseconds);
    }

    private static TriggerIndex Build(bool withOrders)
    {
        var index = new TriggerIndex();
        var random = new Random(42);
        for (var i = 0; i < Positions; i++)
        {
            var account = $"acc-{i:D13}";
            var liquidation = 10_000m + random.Next(0, 100_000) * 0.1m;
            index.Set(new TriggerEntry(TriggerKey.Liquidation(account), TriggerDirection.AtOrBelow, liquidation));
            if (withOrders)
            {
                index.Set(new TriggerEntry(new TriggerKey(TriggerOwnerKind.Position, account, TriggerKind.StopLoss), TriggerDirection.AtOrBelow, Math.Round((liquidation + 20_000m) / 2m, 1, MidpointRounding.ToZero)));
                index.Set(new TriggerEntry(new TriggerKey(TriggerOwnerKind.Position, account, TriggerKind.TakeProfit), TriggerDirection.AtOrAbove, 21_000m + random.Next(0, 90_000) * 0.1m));
            }
        }

        index.Fire(20_000m, DateTimeOffset.UnixEpoch); // merges the registrations, as the first tick after a rebuild does
        return index;
    }

    private static double TickNanoseconds(TriggerIndex index)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Ticks; i++)
        {
            index.Fire(20_000m + i % 100 * 0.1m, DateTimeOffset.UnixEpoch);
        }

        return clock.Elapsed.TotalNanoseconds / Ticks;
    }
}
