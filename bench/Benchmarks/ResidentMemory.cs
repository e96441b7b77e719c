using MarginOrleans.Markets;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// Bytes a trigger index holds per resident entry: build N entries with realistic owner keys
/// (account ids of 17 characters), force a full collection, divide the growth of the live heap.
/// Run: dotnet run -c Release --project bench/Benchmarks -- memory
/// </summary>
public static class ResidentMemory
{
    public static void Print()
    {
        foreach (var n in new[] { 100_000, 1_000_000 })
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var index = new TriggerIndex();
            var random = new Random(42);
            for (var i = 0; i < n; i++)
            {
                var isLong = i % 2 == 0;
                index.Set(new TriggerEntry($"acc-{i:D13}", isLong ? TriggerDirection.AtOrBelow : TriggerDirection.AtOrAbove,
                    (isLong ? 10_000m : 21_000m) + random.Next(0, 90_000) * 0.1m));
            }

            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"{n,9:N0} entries: {(after - before) / (double)n:F0} B per resident entry (owner strings included)");
            GC.KeepAlive(index);
        }
    }
}
