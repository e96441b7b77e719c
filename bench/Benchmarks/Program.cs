using BenchmarkDotNet.Running;
using MarginOrleans.Benchmarks;

// dotnet run -c Release --project bench/Benchmarks -- --filter '*'     (BenchmarkDotNet)
// dotnet run -c Release --project bench/Benchmarks -- memory           (bytes per resident trigger entry)
if (args is ["memory"])
{
    ResidentMemory.Print();
    return;
}

// dotnet run -c Release --project bench/Benchmarks -- orders           (ticks with TP/SL entries; a funding time)
if (args is ["orders"])
{
    OrdersAndFunding.Print();
    return;
}

// dotnet run -c Release --project bench/Benchmarks -- reactivation "CONNECTION" N K    (index rebuild from storage)
if (args is ["reactivation", var connection, var entries, var shards])
{
    await Reactivation.Print(connection, int.Parse(entries), int.Parse(shards));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
