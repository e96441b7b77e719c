using BenchmarkDotNet.Running;
using MarginOrleans.Benchmarks;

// dotnet run -c Release --project bench/Benchmarks -- --filter '*'     (BenchmarkDotNet)
// dotnet run -c Release --project bench/Benchmarks -- memory           (bytes per resident trigger entry)
if (args is ["memory"])
{
    ResidentMemory.Print();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
